from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "survivor_portal.vault"
    label = "vault"
    verbose_name = "Encrypted words"
