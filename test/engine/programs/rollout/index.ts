// The two TalosRollouts as components/talos/cluster.ts wires them: `upgrade` (no Kubernetes access: it reads the
// kubeconfig through Talos) and `rollout` (restarts, after the configs; every node has a restart trigger and a VM),
// here one after the other. The nodes' apid endpoints are the fakes' ports on 127.0.0.1 (stack config), in place
// of `<ip>:50000`; the Proxmox endpoint is a closed port on 127.0.0.1: no hardware changes, so it is never dialed.
import * as pulumi from "@pulumi/pulumi";
import type { ApiAccess } from "../../../../components/kubernetes/api-access";
import type { TalosClientConfiguration } from "../../../../components/talos/api/client";
import type { RolloutTiming } from "../../../../components/talos/rollout/timing";
import { rolloutPlainInputs } from "../../../../components/talos/rollout/inputs";
import type { Role } from "../../../../components/talos/rollout/steps";
import { TalosRollout } from "../../../../components/talos/rollout/resource";

const config = new pulumi.Config();
const nodes = config.requireObject<{ name: string; role: Role; endpoint: string }[]>("nodes");
const target = {
    talosVersion: config.require("talosVersion"),
    installerImage: config.require("installerImage"),
    kubernetesVersion: config.require("kubernetesVersion"),
};
const timing = config.requireObject<RolloutTiming>("timing");
const talos = config.requireSecretObject<TalosClientConfiguration>("talos");
const kubernetes = pulumi
    .all([config.requireObject<Omit<ApiAccess, "clientKey">>("kubernetes"), config.requireSecret("kubernetesClientKey")])
    .apply(([access, clientKey]): ApiAccess => ({ ...access, clientKey }));

const planned = rolloutPlainInputs(
    nodes.map((n) => ({ name: n.name, role: n.role, ip: "127.0.0.1" })),
    target,
);
const endpoints = new Map(nodes.map((n) => [n.name, n.endpoint]));
const plan = { ...planned, nodes: planned.nodes.map((n) => ({ ...n, endpoint: endpoints.get(n.name)! })) };

const upgrade = new TalosRollout("upgrade", { plan, talos, timing });
// In cluster.ts the restart rollout runs after the config applies, which wait for the upgrade.
const rollout = new TalosRollout(
    "rollout",
    {
        plan,
        talos,
        kubernetes,
        timing,
        restartTriggers: Object.fromEntries(nodes.map((n) => [n.name, { hardware: "4 cores, 8192 MiB", stagedConfig: "" }])),
        proxmox: {
            endpoint: config.require("proxmoxEndpoint"),
            apiToken: config.requireSecret("proxmoxApiToken"),
            vms: Object.fromEntries(nodes.map((n, i) => [n.name, { host: "pve1", vmId: 150 + i }])),
        },
    },
    { dependsOn: [upgrade] },
);

export const upgradeOrder = upgrade.order;
export const rolloutOrder = rollout.order;
