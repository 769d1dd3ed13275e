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
import React, { useEffect, useMemo, useRef, useState } from "react";
import { divIcon } from "leaflet";
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

function PopupBody({ point, name, text, markerRef }) {
  const linkRef = useRef(null);
  // Focus goes to the link whenever the popup opens: the body mounts on the first opening
  // and stays mounted (hidden) afterwards, so later openings are heard from the marker.
  useEffect(() => {
    const marker = markerRef.current;
    const focusLink = () => { if (linkRef.current) linkRef.current.focus({ preventScroll: true }); };
    focusLink();
    if (!marker) return undefined;
    marker.on("popupopen", focusLink);
    return () => { marker.off("popupopen", focusLink); };
  }, [markerRef]);
  const close = () => {
    const marker = markerRef.current;
    if (!marker) return;
    marker.closePopup();
    const el = marker.getElement();
    if (el) el.focus({ preventScroll: true });
  };
  return (
    <div className="map-popup" role="dialog" aria-label={name}
         onKeyDown={(e) => { if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); close(); } }}>
      <p className="map-popup-title">{name}</p>
      {point.summary ? <p className="map-popup-summary">{point.summary}</p> : null}
      <p className="map-popup-actions">
        <a ref={linkRef} href={point.url}>{fill((text || {}).open || "#{id}", { id: point.id })}</a>
        <button type="button" className="secondary small" onClick={close}>{(text || {}).close}</button>
      </p>
    </div>
  );
}

function ReportMarker({ point, text }) {
  const markerRef = useRef(null);
  const name = markerName(point, text);
  const interactive = Boolean(point.url);
  const icon = useMemo(() => divIcon({
    className: "syros-marker",
    html: `<span class="syros-marker-dot" style="background:${COLOURS[point.status] || "#0b4f82"}"></span>`,
    iconSize: [28, 28],
    iconAnchor: [14, 14],
    popupAnchor: [0, -12],
  }), [point.status]);
  const handlers = useMemo(() => (interactive ? {
    add(event) {
      const marker = event.target;
      const el = marker.getElement();
      if (!el) return;
      el.setAttribute("aria-label", name);
      el.setAttribute("aria-haspopup", "dialog");
      // A marker reached by Tab is brought into the visible map, clear of the controls,
      // and above its neighbours, so the focused marker is never hidden (WCAG 2.2 2.4.11).
      el.addEventListener("focus", () => {
        marker.setZIndexOffset(1000);
        const map = marker._map;
        if (map) map.panInside(marker.getLatLng(), { paddingTopLeft: [56, 24], paddingBottomRight: [24, 40], animate: false });
      });
      el.addEventListener("blur", () => marker.setZIndexOffset(0));
    },
    // Enter and Space do what a click does (Leaflet itself only knows Enter, via keypress).
    keydown(event) {
      const e = event.originalEvent;
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        event.target.fire("click", { originalEvent: e });
      }
    },
  } : {}), [interactive, name]);
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
          {list.map((p) => (
            <ReportMarker key={`${p.id}|${markerName(p, t)}`} point={p} text={t} />
          ))}
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
