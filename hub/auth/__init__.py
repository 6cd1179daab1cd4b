"""The hub's OAuth2 front door: clients, signing keys, access tokens and their validation.

``POST /oauth/token`` issues short-lived JWT access tokens to registered clients
(client-credentials grant, ``hub.auth.server``); ``/.well-known/jwks.json`` publishes the
keys that verify them and ``/.well-known/oauth-authorization-server`` describes the server
(``hub.auth.endpoints``). ``hub.auth.validation`` turns an ``Authorization`` header into a
``Principal`` for /graphql; ``AuthService.authenticate`` (``hub.auth.service``) is what the
request pipeline calls, throttling callers that keep failing (``hub.auth.throttle``).
"""
