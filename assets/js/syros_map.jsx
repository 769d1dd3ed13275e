// The map of Syros Agora: Leaflet through react-leaflet, wrapped for Reflex
// (syros_app/reports/map.py). Circle markers need no image files; tiles come from
// the configured URL and the page stays usable without them (lists and fields
// beside the map carry the same information).
import React from "react";
import { MapContainer, TileLayer, CircleMarker, Tooltip, useMapEvents } from "react-leaflet";
import "leaflet/dist/leaflet.css";

const COLOURS = {
  submitted: "#6b3fa0", acknowledged: "#0b4f82", in_progress: "#8a4b00", resolved: "#1b6b34",
  forwarded: "#005f6b", rejected: "#a4161a", merged: "#4a5560", picked: "#b35c00",
};

function PickHandler({ onPick }) {
  useMapEvents({
    click(event) {
      onPick([event.latlng.lat, event.latlng.lng]);
    },
  });
  return null;
}

export function SyrosMap({ tileUrl, attribution, center, zoom, points, picked, onPick, label, className }) {
  const list = Array.isArray(points) ? points : [];
  const hasPick = Array.isArray(picked) && picked.length === 2 && picked[0] !== null;
  return (
    <div className={className} role="region" aria-label={label}>
      <MapContainer center={center || [37.445, 24.925]} zoom={zoom || 12} scrollWheelZoom={false}
                    style={{ height: "100%", width: "100%" }}>
        <TileLayer url={tileUrl} attribution={attribution} />
        {list.map((p) => (
          <CircleMarker key={p.id} center={[p.lat, p.lon]} radius={9}
                        pathOptions={{ color: "#ffffff", weight: 2, fillColor: COLOURS[p.status] || "#0b4f82", fillOpacity: 0.95 }}
                        eventHandlers={{ click: () => { if (p.url) window.location.assign(p.url); } }}>
            <Tooltip>{p.label}</Tooltip>
          </CircleMarker>
        ))}
        {hasPick ? (
          <CircleMarker center={picked} radius={11}
                        pathOptions={{ color: "#ffffff", weight: 3, fillColor: COLOURS.picked, fillOpacity: 1 }} />
        ) : null}
        {onPick ? <PickHandler onPick={onPick} /> : null}
      </MapContainer>
    </div>
  );
}
