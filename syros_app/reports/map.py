"""A real map component: Leaflet (npm ``leaflet``) through ``react-leaflet``, wrapped
as a Reflex component from ``assets/js/syros_map.jsx``.

It is rendered only in the browser (Leaflet needs ``window``). The tile URL comes
from ``SYROS_MAP_TILE_URL`` (default: OpenStreetMap's tiles) at run time, through
state; without tiles the map still shows the markers, and every page that has a
map also has the same information as text and fields.

Markers carry codes (category, status), not words: the page passes the translated
words in ``text`` (see ``pages.map_texts``), so a language switch renames every
marker without a round trip.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from pydantic import BaseModel

from syros_app.core import settings

tile_url = settings.map_tile_url
tile_attribution = settings.map_attribution


# Asks the browser for the phone's position (the browser asks the person's consent).
GEOLOCATE_SCRIPT = (
    "new Promise(function (resolve) {"
    " if (!navigator.geolocation) { resolve(null); return; }"
    " navigator.geolocation.getCurrentPosition("
    "  function (p) { resolve([p.coords.latitude, p.coords.longitude]); },"
    "  function () { resolve(null); }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000}); })"
)


class MapMarker(BaseModel):
    id: str
    lat: float
    lon: float
    status: str
    category: str = ""
    url: str = ""  # empty: a marker that only shows where (not a button)
    summary: str = ""  # the start of the description, shown in the marker's popup


class SyrosMap(rx.NoSSRComponent):
    library = "$/public/js/syros_map.jsx"
    tag = "SyrosMap"
    lib_dependencies: list[str] = ["react-leaflet@5.0.0", "leaflet@1.9.4"]

    tile_url: rx.Var[str]
    attribution: rx.Var[str]
    center: rx.Var[list[float]]
    zoom: rx.Var[int]
    points: rx.Var[list[MapMarker]]
    picked: rx.Var[list[float]]
    label: rx.Var[str]
    # id of the text that tells how to use the map (aria-describedby of the map)
    described_by: rx.Var[str]
    # translated texts: marker/open templates ({id}, {category}, {status}), close, zoomIn,
    # zoomOut, and the category and status names by code
    text: rx.Var[dict[str, Any]]
    # text of the button that picks the map's centre (the keyboard's way of tapping a spot)
    pick_centre_label: rx.Var[str]

    on_pick: rx.EventHandler[lambda latlng: [latlng]]


syros_map = SyrosMap.create
