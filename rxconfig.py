"""Reflex configuration, derived from the application's settings module."""

import reflex as rx

from syros_app.core.settings import get_settings, ops_settings

settings = get_settings()

config = rx.Config(
    app_name="syros_app",
    telemetry_enabled=False,
    frontend_port=settings.port,
    backend_port=settings.port,
    deploy_url=settings.public_url,
    api_url=settings.public_url,
    redis_url=settings.redis_url or None,
    # One process keeps states in memory (no pickle per tab rescanned on disk: flat round
    # trips); several processes share them in Redis. Both forget a tab's state after
    # SYROS_STATE_EXPIRY_SECONDS without events, so memory returns after residents leave.
    state_manager_mode="redis" if settings.redis_url else "memory",
    redis_token_expiration=ops_settings().state_expiry_seconds,
    cors_allowed_origins=[settings.public_url] if settings.is_production else ["*"],
    frontend_compression_formats=["gzip", "brotli"],
    show_built_with_reflex=False,
    plugins=[rx.plugins.SitemapPlugin()],
)
