from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo and benchmark data, and the commands that load and measure them."""

    name = "demo"
    verbose_name = "Demo data"
