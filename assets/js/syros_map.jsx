// The map of Syros Agora: Leaflet through react-leaflet, wrapped for Reflex
// (syros_app/reports/map.py). Markers are CSS-drawn div icons (no image files);
// tiles come from the configured URL and the page stays usable without them
// (lists and fields beside the map carry the same information).
//
// Keyboard (WCAG 2.1 AA): the map itself is focusable and named (arrow keys pan,
// +/- zoom); every report marker is a named button (Tab), Enter or Space opens its
// popup and moves focus to the link in it, Escape closes it and returns to the
// marker. On the report form, the "use the map centre" button under the map is the
// keyboard's equivalent of tapping a spot. Every text comes from the page (the
// translation catalogues), so nothing here is in one language.
//
// Target size (WCAG 2.2 2.5.8): every marker is a 28 × 28 px box, and markers whose
// boxes would overlap at the current zoom are drawn as one cluster marker (same size,
// with the count) that zooms in on them; where zooming cannot part them (the map's
// last zoom level), the cluster opens a popup listing their links.
import React, { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { divIcon, latLngBounds } from "leaflet";
import { MapContainer, TileLayer, Marker, Popup, CircleMarker, ZoomControl, useMap, useMapEvents } from "react-leaflet";
import "leaflet/dist/leaflet.css";

const COLOURS = {
  submitted: "#6b3fa0", acknowledged: "#0b4f82", in_progress: "#8a4b00", resolved: "#1b6b34",
  forwarded: "#005f6b", rejected: "#a4161a", merged: "#4a5560", picked: "#b35c00",
};

function fill(template, values) {
  return String(template || "").replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
}

function markerName(point, text) {
  const t = text || {};
  return fill(t.marker || "#{id}", {
    id: point.id,
    category: (t.category && t.category[point.category]) || point.category || "",
    status: (t.status && t.status[point.status]) || point.status || "",
  });
}

function PickHandler({ onPick }) {
  useMapEvents({
    click(event) {
      if (event.latlng) onPick([event.latlng.lat, event.latlng.lng]);
    },
  });
  return null;
}

// Leaflet makes the container focusable (arrow keys pan); give it a role and a name.
function MapAccessibility({ label, describedBy }) {
  const map = useMap();
  useEffect(() => {
    const el = map.getContainer();
    el.setAttribute("role", "application");
    el.setAttribute("aria-label", label || "");
    if (describedBy) el.setAttribute("aria-describedby", describedBy);
    else el.removeAttribute("aria-describedby");
  }, [map, label, describedBy]);
  return null;
}

// A point chosen outside the map (the phone's position, typed coordinates) is brought into view.
function FollowPick({ lat, lon }) {
  const map = useMap();
  useEffect(() => {
    if (lat === null || lat === undefined || lon === null || lon === undefined) return;
    if (!map.getBounds().contains([lat, lon])) map.panTo([lat, lon]);
  }, [map, lat, lon]);
  return null;
}

// A marker's popup: focus goes inside (``focusInside``) whenever it opens — the body mounts on
// the first opening and stays mounted (hidden) afterwards, so later openings are heard from the
// marker — and ``close`` (also on Escape) shuts it and gives focus back to the marker.
function usePopupFocus(markerRef, focusInside) {
  useEffect(() => {
    const marker = markerRef.current;
    focusInside();
    if (!marker) return undefined;
    marker.on("popupopen", focusInside);
    return () => { marker.off("popupopen", focusInside); };
  }, [markerRef]);
  const close = () => {
    const marker = markerRef.current;
    if (!marker) return;
    marker.closePopup();
    const el = marker.getElement();
    if (el) el.focus({ preventScroll: true });
  };
  const onKeyDown = (e) => { if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); close(); } };
  return { close, onKeyDown };
}

function PopupBody({ point, name, text, markerRef }) {
  const linkRef = useRef(null);
  const { close, onKeyDown } = usePopupFocus(markerRef, () => {
    if (linkRef.current) linkRef.current.focus({ preventScroll: true });
  });
  return (
    <div className="map-popup" role="dialog" aria-label={name} onKeyDown={onKeyDown}>
      <p className="map-popup-title">{name}</p>
      {point.summary ? <p className="map-popup-summary" lang="el">{point.summary}</p> : null}
      <p className="map-popup-actions">
        <a ref={linkRef} href={point.url}>{fill((text || {}).open || "#{id}", { id: point.id })}</a>
        <button type="button" className="secondary small" onClick={close}>{(text || {}).close}</button>
      </p>
    </div>
  );
}

// A marker's box, in CSS px; two markers closer than this on both axes would overlap.
const MARKER_PX = 28;
const CLUSTER_PX = 30;

function markerIcon(html, extra) {
  return divIcon({
    className: `syros-marker${extra ? ` ${extra}` : ""}`, html,
    iconSize: [MARKER_PX, MARKER_PX], iconAnchor: [MARKER_PX / 2, MARKER_PX / 2], popupAnchor: [0, -12],
  });
}

// Points grouped so that no two groups' markers overlap at ``zoom``: a point joins the first
// group whose anchor is within CLUSTER_PX on both axes, else starts a group of its own.
export function clusterPoints(project, points, zoom) {
  const groups = [];
  for (const p of points) {
    const at = project([p.lat, p.lon], zoom);
    const near = groups.find((g) => Math.abs(g.at.x - at.x) < CLUSTER_PX && Math.abs(g.at.y - at.y) < CLUSTER_PX);
    if (near) near.members.push(p);
    else groups.push({ at, members: [p] });
  }
  return groups;
}

// Button behaviour for a marker: named, Enter and Space do what a click does, and a marker
// reached by Tab is brought into the visible map, clear of the controls, and above its
// neighbours, so the focused marker is never hidden (WCAG 2.2 2.4.11). ``focusWanted``
// says whether this marker should take focus when it appears (after a cluster zoomed in).
function buttonHandlers(name, popup, focusWanted) {
  return {
    add(event) {
      const marker = event.target;
      const el = marker.getElement();
      if (!el) return;
      el.setAttribute("aria-label", name);
      if (popup) el.setAttribute("aria-haspopup", "dialog");
      el.addEventListener("focus", () => {
        marker.setZIndexOffset(1000);
        const map = marker._map;
        if (map) map.panInside(marker.getLatLng(), { paddingTopLeft: [56, 24], paddingBottomRight: [24, 40], animate: false });
      });
      el.addEventListener("blur", () => marker.setZIndexOffset(0));
      if (focusWanted && focusWanted()) el.focus({ preventScroll: true });
    },
    // Leaflet itself only knows Enter, via keypress.
    keydown(event) {
      const e = event.originalEvent;
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        event.target.fire("click", { originalEvent: e });
      }
    },
  };
}

function ReportMarker({ point, text, focusWanted }) {
  const markerRef = useRef(null);
  const name = markerName(point, text);
  const interactive = Boolean(point.url);
  const icon = useMemo(() => markerIcon(
    `<span class="syros-marker-dot" style="background:${COLOURS[point.status] || "#0b4f82"}"></span>`,
  ), [point.status]);
  const handlers = useMemo(() => (interactive ? buttonHandlers(name, true, focusWanted) : {}),
    [interactive, name, focusWanted]);
  return (
    <Marker ref={markerRef} position={[point.lat, point.lon]} icon={icon} title={interactive ? name : ""}
            keyboard={interactive} interactive={interactive} eventHandlers={handlers}>
      {interactive ? (
        <Popup closeButton={false} maxWidth={240} autoPanPaddingTopLeft={[52, 12]}
               autoPanPaddingBottomRight={[12, 12]}>
          <PopupBody point={point} name={name} text={text} markerRef={markerRef} />
        </Popup>
      ) : null}
    </Marker>
  );
}

// Several reports too close to tell apart at this zoom: one marker with their count. It zooms
// in on them (focus follows to the first of them); at the last zoom level it lists them.
function ClusterMarker({ group, text, lastZoom, focusWanted, wantFocus }) {
  const map = useMap();
  const markerRef = useRef(null);
  const count = group.members.length;
  const t = text || {};
  const name = fill(t.cluster || "{count}", { count });
  const icon = useMemo(() => markerIcon(`<span class="syros-cluster-count">${count}</span>`, "syros-cluster"), [count]);
  const handlers = useMemo(() => {
    const base = buttonHandlers(name, lastZoom, focusWanted);
    if (lastZoom) return base;
    return {
      ...base,
      click() {
        const bounds = latLngBounds(group.members.map((p) => [p.lat, p.lon]));
        const zoom = Math.min(Math.max(map.getZoom() + 2, map.getBoundsZoom(bounds.pad(0.5))), map.getMaxZoom());
        wantFocus(group.members[0].id);
        map.setView(bounds.getCenter(), zoom, { animate: false });
      },
    };
  }, [name, lastZoom, focusWanted, wantFocus, group, map]);
  const first = group.members[0];
  return (
    <Marker ref={markerRef} position={[first.lat, first.lon]} icon={icon} title={name} keyboard interactive
            eventHandlers={handlers}>
      {lastZoom ? (
        <Popup closeButton={false} maxWidth={260} autoPanPaddingTopLeft={[52, 12]} autoPanPaddingBottomRight={[12, 12]}>
          <ClusterList group={group} name={name} text={t} markerRef={markerRef} />
        </Popup>
      ) : null}
    </Marker>
  );
}

function ClusterList({ group, name, text, markerRef }) {
  const listRef = useRef(null);
  const { close, onKeyDown } = usePopupFocus(markerRef, () => {
    const a = listRef.current && listRef.current.querySelector("a");
    if (a) a.focus({ preventScroll: true });
  });
  return (
    <div className="map-popup" role="dialog" aria-label={name} ref={listRef} onKeyDown={onKeyDown}>
      <p className="map-popup-title">{name}</p>
      <ul className="map-popup-list">
        {group.members.map((p) => (
          <li key={p.id}><a href={p.url}>{markerName(p, text)}</a></li>
        ))}
      </ul>
      <p className="map-popup-actions">
        <button type="button" className="secondary small" onClick={close}>{text.close}</button>
      </p>
    </div>
  );
}

// The markers of the map at its current zoom: buttons alone or in clusters, and the markers
// that only show where (not targets: never clustered).
function MarkerLayer({ points, text }) {
  const map = useMap();
  const [zoom, setZoom] = useState(map.getZoom());
  useMapEvents({ zoomend() { setZoom(map.getZoom()); } });
  const focusId = useRef(null);
  const wantFocus = useCallback((id) => { focusId.current = id; }, []);
  const focusFor = useCallback((ids) => () => {
    if (focusId.current === null || !ids.includes(focusId.current)) return false;
    focusId.current = null;
    return true;
  }, []);
  const buttons = points.filter((p) => p.url);
  const groups = useMemo(() => clusterPoints((ll, z) => map.project(ll, z), buttons, zoom),
    [map, zoom, JSON.stringify(buttons.map((p) => [p.id, p.lat, p.lon]))]); // eslint-disable-line react-hooks/exhaustive-deps
  const lastZoom = zoom >= map.getMaxZoom();
  return (
    <>
      {points.filter((p) => !p.url).map((p) => (
        <ReportMarker key={`where|${p.id}`} point={p} text={text} />
      ))}
      {groups.map((g) => (g.members.length === 1 ? (
        <ReportMarker key={`${g.members[0].id}|${markerName(g.members[0], text)}`} point={g.members[0]} text={text}
                      focusWanted={focusFor([g.members[0].id])} />
      ) : (
        <ClusterMarker key={`c|${zoom}|${g.members.map((p) => p.id).join(",")}|${text.cluster}`} group={g} text={text}
                       lastZoom={lastZoom} wantFocus={wantFocus} focusWanted={focusFor(g.members.map((p) => p.id))} />
      )))}
    </>
  );
}

export function SyrosMap({ tileUrl, attribution, center, zoom, points, picked, onPick, label, describedBy, text,
                           pickCentreLabel, className }) {
  const [map, setMap] = useState(null);
  const list = Array.isArray(points) ? points : [];
  const hasPick = Array.isArray(picked) && picked.length === 2 && picked[0] !== null;
  const t = text || {};
  const pickCentre = () => {
    if (!map || !onPick) return;
    const at = map.getCenter();
    onPick([at.lat, at.lng]);
  };
  return (
    <div className="syros-map-block">
      <div className={className}>
        <MapContainer ref={setMap} center={center || [37.445, 24.925]} zoom={zoom || 12} scrollWheelZoom={false}
                      zoomControl={false} style={{ height: "100%", width: "100%" }}>
          <MapAccessibility label={label} describedBy={describedBy} />
          <ZoomControl key={`${t.zoomIn}|${t.zoomOut}`} position="topleft"
                       zoomInTitle={t.zoomIn || "+"} zoomOutTitle={t.zoomOut || "-"} />
          <TileLayer url={tileUrl} attribution={attribution} />
          <MarkerLayer points={list} text={t} />
          {hasPick ? (
            <CircleMarker center={picked} radius={11} interactive={false}
                          pathOptions={{ color: "#ffffff", weight: 3, fillColor: COLOURS.picked, fillOpacity: 1 }} />
          ) : null}
          {hasPick ? <FollowPick lat={picked[0]} lon={picked[1]} /> : null}
          {onPick ? <PickHandler onPick={onPick} /> : null}
        </MapContainer>
        {onPick ? <span className="map-crosshair" aria-hidden="true" /> : null}
      </div>
      {onPick && pickCentreLabel ? (
        <button type="button" className="secondary map-pick-centre" onClick={pickCentre}>{pickCentreLabel}</button>
      ) : null}
    </div>
  );
}
