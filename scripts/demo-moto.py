"""moto_server for the demo, with the identity-pool calls moto 5.2 lacks.

moto creates, describes, updates, lists and deletes identity pools but does
not implement SetIdentityPoolRoles/GetIdentityPoolRoles nor
Set/GetPrincipalTagAttributeMap (it answers HTTP 500). The demo's example
spec gives its identity pool roles and a role mapping, so this stand-in keeps
them in memory, shaped as the API reference's requests and responses, and
otherwise runs moto_server unchanged (same arguments). The integration tests
do not use it: they emulate these calls in tests/integration/support/faithful/.
"""

import json
import sys

from moto.cognitoidentity.exceptions import ResourceNotFoundError
from moto.cognitoidentity.responses import CognitoIdentityResponse
from moto.server import main

ROLES = {}
TAGS = {}


def _pool(self):
    pool_id = self._get_param("IdentityPoolId")
    # describe_identity_pool raises ResourceNotFoundError for an unknown id.
    self.backend.describe_identity_pool(pool_id)
    return pool_id


def set_identity_pool_roles(self):
    pool_id = _pool(self)
    ROLES[pool_id] = {
        "Roles": self._get_param("Roles") or {},
        "RoleMappings": self._get_param("RoleMappings") or {},
    }
    return ""


def get_identity_pool_roles(self):
    pool_id = _pool(self)
    found = ROLES.get(pool_id, {"Roles": {}, "RoleMappings": {}})
    out = {"IdentityPoolId": pool_id, "Roles": found["Roles"]}
    if found["RoleMappings"]:
        out["RoleMappings"] = found["RoleMappings"]
    return json.dumps(out)


def _tags(self, store):
    pool_id = _pool(self)
    provider = self._get_param("IdentityProviderName")
    if provider is None:
        raise ResourceNotFoundError("IdentityProviderName is required")
    key = (pool_id, provider)
    if store:
        TAGS[key] = {
            "UseDefaults": bool(self._get_param("UseDefaults")),
            "PrincipalTags": self._get_param("PrincipalTags") or {},
        }
    found = TAGS.get(key, {"UseDefaults": False, "PrincipalTags": {}})
    return json.dumps(
        {"IdentityPoolId": pool_id, "IdentityProviderName": provider, **found}
    )


CognitoIdentityResponse.set_identity_pool_roles = set_identity_pool_roles
CognitoIdentityResponse.get_identity_pool_roles = get_identity_pool_roles
CognitoIdentityResponse.set_principal_tag_attribute_map = lambda self: _tags(self, True)
CognitoIdentityResponse.get_principal_tag_attribute_map = lambda self: _tags(self, False)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
