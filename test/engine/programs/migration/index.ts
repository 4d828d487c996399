// Every custom resource of ours, each wired as the program wires it, with parents as in the home graph (a rollout,
// Node records and first applies under a cluster component, the gates, the forwarders under SplitDnsForwarding,
// the token term under an edge component), against the fakes of test/engine. The migration test
// (migration.engine.ts) runs it on the state this same program left when its resources were dynamic resources
// (fixtures/dynamic-era/, made with the code of main before issue 23: only the import paths differed).
import * as pulumi from "@pulumi/pulumi";
import { dnsTokenTerm, TokenTermResource } from "../../../../components/cloudflare/token-term";
import { SplitDnsForwarding } from "../../../../components/dns/split-dns-forwarding";
import { ApiAccess, KubernetesApiReady, KubernetesNodesReady } from "../../../../components/kubernetes/readiness";
import type { TalosClientConfiguration } from "../../../../components/talos/api/client";
import { KubernetesNode } from "../../../../components/talos/kubernetes-node";
import { MaintenanceApply } from "../../../../components/talos/maintenance-apply";
import { rolloutPlainInputs } from "../../../../components/talos/rollout/inputs";
import type { Role } from "../../../../components/talos/rollout/steps";
import { TalosRollout } from "../../../../components/talos/rollout/resource";
import type { RolloutTiming } from "../../../../components/talos/rollout/timing";

class Group extends pulumi.ComponentResource {
    constructor(type: string, name: string) {
        super(type, name, {});
        this.registerOutputs({});
    }
}

const config = new pulumi.Config();
const nodes = config.requireObject<{ name: string; role: Role; endpoint: string }[]>("nodes");
const target = {
    talosVersion: config.require("talosVersion"),
    installerImage: config.require("installerImage"),
    kubernetesVersion: "v1.36.4",
};
const timing = config.requireObject<RolloutTiming>("timing");
const talos = config.requireSecretObject<TalosClientConfiguration>("talos");
const access = pulumi
    .all([config.requireObject<Omit<ApiAccess, "clientKey">>("access"), config.requireSecret("clientKey")])
    .apply(([plain, clientKey]): ApiAccess => ({ ...plain, clientKey }));

const cluster = new Group("homelab:talos:TalosCluster", "home-talos");
const planned = rolloutPlainInputs(
    nodes.map((n) => ({ name: n.name, role: n.role, ip: "127.0.0.1" })),
    target,
);
const endpoints = new Map(nodes.map((n) => [n.name, n.endpoint]));
const plan = { ...planned, nodes: planned.nodes.map((n) => ({ ...n, endpoint: endpoints.get(n.name)! })) };
new TalosRollout("home-talos-upgrade", { plan, talos, timing }, { parent: cluster });
const controlPlanes = plan.nodes.filter((n) => n.role === "controlplane");
for (const node of plan.nodes) {
    new KubernetesNode(
        `home-talos-${node.name}-node`,
        { node: node.name, talos, controlPlanes, callTimeoutMs: timing.callTimeoutMs },
        { parent: cluster },
    );
    new MaintenanceApply(
        `home-talos-${node.name}-first-apply`,
        { node: node.name, endpoint: node.endpoint, talos, machineConfiguration: pulumi.secret("version: v1alpha1\n"), timing },
        { parent: cluster },
    );
}
new KubernetesApiReady("home-talos-api-ready", { access, timeoutSeconds: 60 }, { parent: cluster });
const ready = new Group("homelab:talos:ClusterReady", "home-ready");
new KubernetesNodesReady(
    "home-ready-nodes",
    { access, expectedNodes: nodes.length, timeoutSeconds: 60 },
    { parent: ready, ignoreChanges: ["expectedNodes"] },
);

const dns = config.requireObject<{ adguard?: string; technitium?: string }>("dns");
new SplitDnsForwarding("home-dns", {
    domain: "ragas.cc",
    gatewayAddress: config.require("target"),
    adguard: dns.adguard ? { url: dns.adguard, username: "admin" } : undefined,
    adguardPassword: dns.adguard ? config.requireSecret("adguardPassword") : undefined,
    technitium: dns.technitium ? { url: dns.technitium } : undefined,
    technitiumToken: dns.technitium ? config.requireSecret("technitiumToken") : undefined,
});

const edge = new Group("homelab:cloudflare:CloudflareEdge", "home-edge");
export const expiresOn = new TokenTermResource("home-edge-dns-token-term", dnsTokenTerm, { parent: edge }).expiresOn;
