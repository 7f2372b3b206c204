"""OpenRosa: ICRS as the server of ODK Collect and KoBoCollect (devices, forms, submissions)."""
