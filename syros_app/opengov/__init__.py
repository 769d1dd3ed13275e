"""Open governance: residents' proposals, surveys, the public tracker of projects,
open meetings and events, and the municipality's decisions from Diavgeia.

Each part is a capability of its own (a sub-package listed in
``syros_app.capabilities.CAPABILITY_PACKAGES``), with the usual inner shape.
"""
