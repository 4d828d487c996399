import * as YAML from "yaml";
import { httpRouteManifest, networkPolicyManifest } from "../components/kubernetes/plan/apps";
import { certManagerPlan, clusterIssuerManifest, wildcardCertificateManifest } from "../components/kubernetes/plan/cert-manager";
import { ciliumPlan, ciliumValues } from "../components/kubernetes/plan/cilium";
import { envoyGatewayName, networkNamespace, tunnelHostname } from "../components/config/facts";
import { k8sGatewayPlan, manualRecords } from "../components/kubernetes/plan/k8s-gateway";
import { tunnelIngressConfig } from "../components/cloudflare/plan/edge";
import { planAddresses, planSegments, PlainSpec } from "../components/config";
import { BuildOrder } from "./waves";
import { minutes } from "./plan-report";
import { markdownTable } from "./table";

// docs/network.md: the design page, generated from the stack's config so it never drifts from what is
// built. Pure: the same spec and build plan give the same bytes.

const yamlBlock = (value: unknown) => ["```yaml", YAML.stringify(value, { lineWidth: 0 }).trimEnd(), "```"].join("\n");

function addressTables(spec: PlainSpec): string[] {
    const rows = planAddresses(spec);
    const row = (r: (typeof rows)[number]) => [r.address, r.service, r.description];
    return [
        "### Infrastructure IPs",
        markdownTable(["IP", "Service", "Description"], rows.filter((r) => r.kind === "infrastructure").map(row)),
        "",
        "### Kubernetes IPs",
        markdownTable(["IP", "Service", "Description"], rows.filter((r) => r.kind === "kubernetes").map(row)),
    ];
}

function ciliumSection(spec: PlainSpec): string[] {
    const values = ciliumValues(ciliumPlan(spec));
    const { start, stop } = spec.network.loadBalancerRange;
    return [
        "## Cilium Configuration",
        `- eBPF kube-proxy replacement (\`kubeProxyReplacement: ${values.kubeProxyReplacement}\`), reaching the API through KubePrism at ${values.k8sServiceHost}:${values.k8sServicePort}`,
        `- Load balancing: \`${values.loadBalancer.mode}\` (Direct Server Return) with \`${values.loadBalancer.algorithm}\` hashing`,
        `- Native routing of ${values.ipv4NativeRoutingCIDR} with direct node routes; BPF masquerading`,
        `- L2 announcements (ARP) for LoadBalancer IPs from the pool ${start}-${stop}; every gateway pins its address`,
        "- Gateway API is served by Envoy Gateway, not Cilium's own (`gatewayAPI.enabled: false`)",
    ];
}

function gatewaySection(spec: PlainSpec): string[] {
    const apps = spec.apps.map((a) => [a.hostname, envoyGatewayName(a.gateway), `${a.namespace}/${a.service.name}:${a.service.port}`]);
    return [
        "## Gateway API",
        "### Gateways",
        markdownTable(
            ["Gateway", "IP", "Purpose", "TLS"],
            [
                [
                    `${envoyGatewayName("internal")} (${networkNamespace})`,
                    spec.gateways.internal,
                    "Internal services on the home network",
                    `Let's Encrypt wildcard for *.${spec.domain}`,
                ],
                [
                    `${envoyGatewayName("external")} (${networkNamespace})`,
                    spec.gateways.external,
                    "Public services through the Cloudflare tunnel",
                    `Cloudflare at the edge; the wildcard between cloudflared and Envoy`,
                ],
            ],
        ),
        "",
        "### Routes",
        apps.length ? markdownTable(["Hostname", "Gateway", "Backend"], apps) : "No app is configured (`homelab:apps`).",
        ...spec.apps.flatMap((app) => ["", `#### HTTPRoute ${app.namespace}/${app.name}`, yamlBlock(httpRouteManifest(app))]),
    ];
}

function dnsSection(spec: PlainSpec): string[] {
    const [primary, ...secondary] = spec.network.nameservers;
    const name = (ip: string) => spec.infrastructure.find((h) => h.ip === ip)?.name ?? ip;
    const example = spec.apps.find((a) => a.gateway === "internal") ?? spec.apps[0];
    const host = example?.hostname ?? `app.${spec.domain}`;
    const gatewayIp = example?.gateway === "external" ? spec.gateways.external : spec.gateways.internal;
    const records = manualRecords(k8sGatewayPlan(spec));
    return [
        "## DNS Architecture",
        `Split DNS: the home resolvers answer everything but \`${spec.domain}\`, which they forward to k8s_gateway at ${spec.gateways.dns}. Public DNS (Cloudflare) holds only tunnel names.`,
        "",
        "### Resolution flow",
        `1. A client asks ${name(primary)} (${primary})${secondary.length ? `, or ${secondary.map((ip) => `${name(ip)} (${ip})`).join(", ")}` : ""}, for \`${host}\``,
        `2. It forwards \`${spec.domain}\` to k8s_gateway (${spec.gateways.dns})`,
        `3. k8s_gateway answers from the HTTPRoute: the gateway's address, ${gatewayIp}`,
        `4. The client connects to ${example ? envoyGatewayName(example.gateway) : envoyGatewayName("internal")} (${gatewayIp}) over HTTPS`,
        "5. Envoy routes the request to the backend pod",
        "",
        "### Home DNS forwarding",
        markdownTable(
            ["Server", "Setting"],
            [
                [
                    spec.dnsForwarders.adguard ? `AdGuard Home (${spec.dnsForwarders.adguard.url})` : "AdGuard Home: not configured",
                    spec.dnsForwarders.adguard ? `upstream \`[/${spec.domain}/]${spec.gateways.dns}\`` : "-",
                ],
                [
                    spec.dnsForwarders.technitium ? `Technitium (${spec.dnsForwarders.technitium.url})` : "Technitium: not configured",
                    spec.dnsForwarders.technitium ? `Conditional Forwarder zone \`${spec.domain}\` -> ${spec.gateways.dns}` : "-",
                ],
            ],
        ),
        "",
        "### External services (manual records served by k8s_gateway)",
        markdownTable(
            ["Name", "IP"],
            records.map((r) => [r.hostname, r.address]),
        ),
    ];
}

function policySection(spec: PlainSpec): string[] {
    const policies = spec.apps.map(networkPolicyManifest).filter((p) => p !== undefined);
    return [
        "## Network Policies",
        policies.length
            ? "Cilium network policies admit the configured clients (and the owning gateway's Envoy pods) to each app:"
            : "No app sets `allowFrom`.",
        ...policies.flatMap((p) => ["", yamlBlock(p)]),
    ];
}

function tlsSection(spec: PlainSpec): string[] {
    const plan = certManagerPlan(spec);
    const issuer = clusterIssuerManifest(plan);
    return [
        "## TLS Certificates",
        `cert-manager issues from Let's Encrypt (ClusterIssuer \`${issuer.metadata.name}\`) with DNS-01 through Cloudflare for the zone \`${spec.domain}\`:`,
        "",
        yamlBlock(wildcardCertificateManifest(plan, networkNamespace)),
    ];
}

function edgeSection(spec: PlainSpec): string[] {
    if (!spec.cloudflare) return ["## Public edge", "No Cloudflare tunnel is configured (`homelab:cloudflare`)."];
    const published = spec.apps
        .filter((a) => a.gateway === "external")
        .map((a) => [a.hostname, "CNAME (proxied)", tunnelHostname(spec.domain)]);
    return [
        "## Public edge (Cloudflare tunnel)",
        `Tunnel \`${spec.cloudflare.tunnelName}\`, remotely managed; cloudflared runs in \`${networkNamespace}\`. Ingress rules:`,
        "",
        yamlBlock(tunnelIngressConfig(spec.domain)),
        "",
        markdownTable(
            ["Public name", "Record", "Points to"],
            [[tunnelHostname(spec.domain), "CNAME (proxied)", "<tunnel-id>.cfargotunnel.com"], ...published],
        ),
    ];
}

function buildSection(build: BuildOrder): string[] {
    return [
        "## Build graph",
        `One \`pulumi up\` builds everything in ${build.waves.length} waves; the critical path takes about ${minutes(build.estimateSeconds)} with typical durations (tools/durations.ts).`,
        "",
        "![The build graph, critical path in red](graph.svg)",
    ];
}

/** The page; `stackFile` names the file it was made from (`test/fixtures/home.yaml`). */
export function networkPage(spec: PlainSpec, stackFile: string, build: BuildOrder): string {
    return [
        "# Network Architecture",
        `<!-- Generated by \`npm run docs\` from ${stackFile}: edit the config, not this page. -->`,
        "",
        "The cluster uses Cilium as the CNI with Gateway API (Envoy Gateway) for ingress, on Talos Linux VMs on Proxmox.",
        "",
        "## Network Segments",
        markdownTable(
            ["Network", "CIDR", "Purpose"],
            planSegments(spec).map((s) => [s.name, s.cidr, s.purpose]),
        ),
        "",
        "## IP Allocations",
        ...addressTables(spec),
        "",
        ...ciliumSection(spec),
        "",
        ...gatewaySection(spec),
        "",
        ...dnsSection(spec),
        "",
        ...policySection(spec),
        "",
        ...tlsSection(spec),
        "",
        ...edgeSection(spec),
        "",
        ...buildSection(build),
        "",
    ].join("\n");
}
