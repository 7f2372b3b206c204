"""Exchange routes. The SMS webhook is public: the gateway authenticates each request with a
signature or a shared secret (icrs.exchange.sms_inbound), and it is POST only."""
ACCESS = {}
PUBLIC = {"sms.inbound"}
