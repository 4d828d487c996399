import { EnforcementLevel, Policies, PolicyPackConfig } from "@pulumi/policy";
import type { PlainSpec } from "../components/config/shape";
import { configKeysOf, pickConfig, policyConfigFromSpec } from "./config";
import { httpRouteInDomain } from "./policies/httproute-in-domain";
import { httpsListenerHasCertificate } from "./policies/https-listener-has-certificate";
import { lbAddressPinnedInPool } from "./policies/lb-address-pinned-in-pool";
import { lbPoolInsideNodeNetwork } from "./policies/lb-pool-inside-node-network";
import { noAddressTwice } from "./policies/no-address-twice";
import { noPrivatePublicDns } from "./policies/no-private-public-dns";
import { talosNetworkKept } from "./policies/talos-network-kept";
import { vmAddressInNodeNetwork } from "./policies/vm-address-in-node-network";

// Every rule of the pack. Importing this starts nothing: only index.ts builds the PolicyPack.

export const packName = "homelab-network";
/** For a policy that sets none; every rule here sets its own. */
export const packEnforcementLevel: EnforcementLevel = "mandatory";

export const policies: Policies = [
    vmAddressInNodeNetwork,
    lbAddressPinnedInPool,
    lbPoolInsideNodeNetwork,
    noAddressTwice,
    noPrivatePublicDns,
    httpRouteInDomain,
    talosNetworkKept,
    httpsListenerHasCertificate,
];

/**
 * The `--policy-pack-config` file for a stack: each configurable policy's name mapped to the keys its
 * schema declares, valued from the spec (`{"vm-address-in-node-network": {"nodeCidr": ..., ...}, ...}`).
 * The engine merges it over the schema defaults key by key; an `enforcementLevel` could sit beside the keys.
 */
export function policyConfigFile(spec: PlainSpec): PolicyPackConfig {
    const config = policyConfigFromSpec(spec);
    return Object.fromEntries(
        policies.filter((p) => p.configSchema).map((p) => [p.name, pickConfig(config, configKeysOf(p.configSchema))]),
    );
}
