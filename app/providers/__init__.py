"""Provider clients (one module per wire API), registry and resilience wrappers. Never imports Qt."""
