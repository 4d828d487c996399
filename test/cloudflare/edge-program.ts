import * as k8s from "@pulumi/kubernetes";
import { CloudflareEdge } from "../../components/cloudflare/edge";
import { edgePlan } from "../../components/cloudflare/plan/edge";
import { cloudflareProvider } from "../../components/cloudflare/provider";
import { Cloudflared } from "../../components/kubernetes/cloudflared";
import { cloudflaredPlan } from "../../components/kubernetes/plan/cloudflared";
import { loadSpec } from "../../components/program-config";

// A program of the edge and the connector alone, wired as the brief asks the lead to wire them, for
// test/cloudflare/edge.spec.ts to run under the offline engine (evaluate's `program` option).

const spec = loadSpec();
const plan = edgePlan(spec);
if (!plan) throw new Error("homelab:cloudflare must be set for this program");

if (!spec.secrets.cloudflareApiToken) throw new Error("homelab:cloudflareApiToken must be set for this program");

const cloudflare = cloudflareProvider("cloudflare", spec.secrets.cloudflareApiToken);
const edge = new CloudflareEdge("edge", { plan }, { providers: [cloudflare] });

const kubernetes = new k8s.Provider("kubernetes", { kubeconfig: "mock" });
const network = new k8s.core.v1.Namespace("network", { metadata: { name: "network" } }, { provider: kubernetes });
new Cloudflared(
    "cloudflared",
    { plan: cloudflaredPlan(spec), namespace: network.metadata.name, tunnelToken: edge.tunnelToken, tunnelId: edge.tunnelId },
    { providers: [kubernetes] },
);

export const tunnelId = edge.tunnelId;
export const tunnelToken = edge.tunnelToken;
export const dnsToken = edge.dnsToken;
export const accountId = edge.accountId;
