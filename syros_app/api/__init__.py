"""HTTP routes, mounted into the Reflex backend (``rx.App(api_transformer=…)``).

Each capability contributes a list of Starlette routes from its ``api`` module
here; every route delegates to that capability's services.
"""
