/*
 * The four roles of the service and their names, as the store keeps them
 * and the CLI and the API spell them.
 */
#include <string.h>

#include "waras/auth.h"
#include "waras/error.h"

static const char *const role_names[] = {"member", "lead", "people-ops", "admin"};

const char *waras_role_name(waras_role role)
{
    return (unsigned)role < 4 ? role_names[role] : "?";
}

int waras_role_parse(waras_role *out, const char *name)
{
    for (int i = 0; i < 4; i++)
        if (name && strcmp(name, role_names[i]) == 0) {
            *out = (waras_role)i;
            return 0;
        }
    return waras_error_set(WARAS_EINVAL, NULL, 0, "role",
                           "unknown role '%s' (member, lead, people-ops or admin)",
                           name ? name : "");
}
