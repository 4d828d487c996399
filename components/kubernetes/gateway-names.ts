import { GatewayName } from "../spec";

// The names routes, policies and DNS agree on for the two Envoy Gateways of the spec.

/** The namespace of both Gateways; with Envoy Gateway's GatewayNamespace mode, their proxy pods run here too. */
export const gatewayNamespace = "network";

/** internal -> `envoy-internal` (172.16.1.61), external -> `envoy-external` (172.16.1.62). */
export function gatewayName(gateway: GatewayName): `envoy-${GatewayName}` {
    return `envoy-${gateway}`;
}
