import * as fs from "fs";
import * as tls from "tls";
import { gatewayNames } from "../../components/kubernetes/plan/envoy-gateway";
import { GatewayName } from "../../components/config";
import { Check, fail, once, pass, skip } from "./check";
import { read, VerifyContext } from "./context";
import { expectedCertificate, expectedGateways, ExpectedGateway, expectedRoutes, ExpectedRoute, handshakeHostname } from "./expect";
import { condition } from "./kube";

// Gateways and routes: both gateways accepted and programmed at their planned addresses, each app's route
// attached, the wildcard certificate issued and far from expiry, and each gateway presenting it.

const area = "Gateways" as const;
type Condition = { type: string; status: string; reason?: string; message?: string };

/** How long the wildcard certificate must still be valid: cert-manager renews 30 days ahead, so 14 means renewal is failing. */
export const minimumValidityDays = 14;

function conditionText(conditions: Condition[] | undefined, type: string): string {
    const c = condition(conditions, type);
    return c
        ? `${type}=${c.status}${c.status !== "True" && c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ""})` : ""}`
        : `${type} missing`;
}

/** A namespaced object of a v1 custom resource (Gateway API, cert-manager), or why it could not be read. */
function readObject<T = unknown>(ctx: VerifyContext, group: string, plural: string, namespace: string, name: string) {
    return read(ctx, () => ctx.kube.custom.getNamespacedCustomObject({ group, version: "v1", namespace, plural, name }) as Promise<T>);
}

function gatewayCheck(ctx: VerifyContext, gw: ExpectedGateway): Check {
    return {
        area,
        check: `Gateway ${gw.namespace}/${gw.name}`,
        run: async () => {
            const object = await readObject(ctx, "gateway.networking.k8s.io", "gateways", gw.namespace, gw.name);
            if ("error" in object)
                return fail(`Gateway ${gw.namespace}/${gw.name}: ${object.error}`, "the Gateway is missing: run pulumi up");
            const status = (object.value as { status?: { conditions?: Condition[]; addresses?: { value: string }[] } }).status;
            const addresses = (status?.addresses ?? []).map((a) => a.value);
            const states = ["Accepted", "Programmed"].map((t) => conditionText(status?.conditions, t));
            const detail = `${states.join(", ")}, address ${addresses.join(", ") || "(none)"} (want ${gw.address}, homelab:gateways.${gw.gateway})`;
            if (condition(status?.conditions, "Accepted")?.status !== "True") {
                return fail(
                    detail,
                    "Envoy Gateway did not accept the Gateway: check the GatewayClass envoy is Accepted and its EnvoyProxy exists (run pulumi up)",
                );
            }
            if (condition(status?.conditions, "Programmed")?.status !== "True") {
                return fail(
                    detail,
                    `Envoy Gateway has not programmed ${gw.name}: its Envoy pods in ${gw.namespace} are not ready or its Service has no LoadBalancer address yet (see the LB-IPAM checks)`,
                );
            }
            if (!addresses.includes(gw.address)) {
                return fail(
                    detail,
                    `the Gateway's Service got another address than planned: its lbipam.cilium.io/ips annotation (spec.infrastructure) must be ${gw.address}; run pulumi up and check no other Service holds it`,
                );
            }
            return pass(detail);
        },
    };
}

interface RouteStatus {
    status?: { parents?: { parentRef: { name: string; namespace?: string }; conditions?: Condition[] }[] };
}

function routeCheck(ctx: VerifyContext, route: ExpectedRoute): Check {
    return {
        area,
        check: `HTTPRoute ${route.namespace}/${route.name}`,
        run: async () => {
            const object = await readObject<RouteStatus>(ctx, "gateway.networking.k8s.io", "httproutes", route.namespace, route.name);
            if ("error" in object)
                return fail(
                    `HTTPRoute ${route.namespace}/${route.name}: ${object.error}`,
                    `the route of app ${route.app} is missing: run pulumi up`,
                );
            // A parentRef without namespace means the route's own namespace (Gateway API ParentReference).
            const parent = object.value.status?.parents?.find(
                (p) => p.parentRef.name === route.parent.name && (p.parentRef.namespace ?? route.namespace) === route.parent.namespace,
            );
            const on = `on ${route.parent.namespace}/${route.parent.name}`;
            if (!parent)
                return fail(
                    `no status for parent ${route.parent.namespace}/${route.parent.name} (${route.hostname})`,
                    `Envoy Gateway has not processed the route: check its parentRef names ${route.parent.name} in ${route.parent.namespace} and that the Gateway is Accepted`,
                );
            const detail = `${conditionText(parent.conditions, "Accepted")}, ${conditionText(parent.conditions, "ResolvedRefs")} ${on} (${route.hostname})`;
            if (condition(parent.conditions, "Accepted")?.status !== "True") {
                return fail(
                    detail,
                    "the Gateway refused the route: its listener must allow routes from this namespace (https allows all), and the hostname must fall under the listener's",
                );
            }
            if (condition(parent.conditions, "ResolvedRefs")?.status !== "True") {
                return fail(
                    detail,
                    `the backend is not resolvable: Service ${route.namespace}/${ctx.spec.apps.find((a) => a.name === route.app && a.namespace === route.namespace)?.service.name} must exist with the configured port (homelab:apps)`,
                );
            }
            return pass(detail);
        },
    };
}

interface CertificateStatus {
    status?: { conditions?: Condition[]; notAfter?: string };
}

function certificateCheck(ctx: VerifyContext): Check {
    const cert = expectedCertificate(ctx.spec);
    return {
        area,
        check: `Certificate ${cert.namespace}/${cert.name}`,
        run: async () => {
            const object = await readObject<CertificateStatus>(ctx, "cert-manager.io", "certificates", cert.namespace, cert.name);
            if ("error" in object)
                return fail(
                    `Certificate ${cert.namespace}/${cert.name}: ${object.error}`,
                    "the wildcard Certificate is missing: run pulumi up",
                );
            const status = object.value.status;
            const notAfter = status?.notAfter ? new Date(status.notAfter) : undefined;
            const days = notAfter ? Math.floor((notAfter.getTime() - ctx.now().getTime()) / 86_400_000) : undefined;
            const detail = `${conditionText(status?.conditions, "Ready")}, ${notAfter ? `expires ${notAfter.toISOString().slice(0, 10)}, in ${days} days` : "no expiry yet"} (want Ready and >= ${minimumValidityDays} days)`;
            if (condition(status?.conditions, "Ready")?.status !== "True") {
                return fail(
                    detail,
                    "cert-manager has not issued it: read the Certificate's CertificateRequest and Order; DNS-01 needs the Cloudflare token's DNS Write and Zone Read on the zone",
                );
            }
            if (days === undefined || days < minimumValidityDays) {
                return fail(
                    detail,
                    "renewal is failing (cert-manager renews 30 days ahead): read the cert-manager controller's log and the Certificate's events; check the Cloudflare token has not expired",
                );
            }
            return pass(detail);
        },
    };
}

/** One TLS handshake with SNI: the certificate the peer presents, whether it is trusted, or why it failed. */
export function handshake(
    host: string,
    port: number,
    servername: string,
    timeoutMs: number,
    secureContext?: tls.SecureContext,
): Promise<{ cert: tls.PeerCertificate; authorized: boolean; authorizationError?: string } | { error: string }> {
    return new Promise((resolve) => {
        const socket = tls.connect({
            host,
            port,
            servername,
            rejectUnauthorized: false,
            ...(secureContext ? { secureContext } : {}),
            ALPNProtocols: ["h2", "http/1.1"],
        });
        const finish = (result: Parameters<typeof resolve>[0]) => {
            clearTimeout(timer);
            socket.destroy();
            resolve(result);
        };
        const timer = setTimeout(() => finish({ error: `no TLS handshake within ${timeoutMs / 1000} s` }), timeoutMs);
        socket.once("secureConnect", () =>
            finish({
                cert: socket.getPeerCertificate(),
                authorized: socket.authorized,
                authorizationError: socket.authorizationError?.toString(),
            }),
        );
        socket.once("error", (error) => finish({ error: error.message }));
    });
}

function tlsCheck(ctx: VerifyContext, gateway: GatewayName, trust: () => Promise<tls.SecureContext | undefined>): Check {
    const sni = handshakeHostname(ctx.spec, gateway);
    const target = ctx.options.gatewayAddresses[gateway] ?? { host: ctx.spec.gateways[gateway], port: 443 };
    const name = gatewayNames[gateway];
    return {
        area,
        check: `TLS ${name} ${target.host}:${target.port}`,
        run: async () => {
            if (!sni) return skip(`no app on ${name} to name in SNI (homelab:apps)`);
            const result = await handshake(target.host, target.port, sni, ctx.options.timeoutMs, await trust());
            if ("error" in result)
                return fail(
                    `SNI ${sni}: ${result.error}`,
                    `nothing answers HTTPS at ${target.host}:${target.port}: check the Gateway and its L2 lease above, and that this machine is on the node network`,
                );
            const identity = tls.checkServerIdentity(sni, result.cert);
            const validTo = new Date(result.cert.valid_to);
            const detail = `SNI ${sni}: ${result.cert.subject?.CN ?? "(no CN)"}, ${result.cert.subjectaltname ?? "no SAN"}, expires ${validTo.toISOString().slice(0, 10)}`;
            if (identity)
                return fail(
                    `${detail}: ${identity.message}`,
                    "the gateway presents another certificate: its https listener must reference the wildcard Secret, and that Secret must hold the issued certificate",
                );
            if (validTo.getTime() <= ctx.now().getTime())
                return fail(`${detail}: expired`, "the Secret holds an expired certificate: see the Certificate check");
            if (!result.authorized)
                return fail(
                    `${detail}: not trusted (${result.authorizationError})`,
                    "the chain does not lead to a trusted root: a staging issuer? (homelab:certificates.issuer; --gateway-ca FILE trusts another CA)",
                );
            return pass(`${detail}, trusted`);
        },
    };
}

export function gatewayChecks(ctx: VerifyContext): Check[] {
    // The system's roots plus --gateway-ca, built once: a context of ~150 roots is costly to make per handshake.
    const gatewayCa = ctx.options.gatewayCa;
    const trust = once(async () =>
        gatewayCa ? tls.createSecureContext({ ca: [...tls.rootCertificates, fs.readFileSync(gatewayCa, "utf8")] }) : undefined,
    );
    return [
        ...expectedGateways(ctx.spec).map((g) => gatewayCheck(ctx, g)),
        ...expectedRoutes(ctx.spec).map((r) => routeCheck(ctx, r)),
        certificateCheck(ctx),
        tlsCheck(ctx, "internal", trust),
        tlsCheck(ctx, "external", trust),
    ];
}
