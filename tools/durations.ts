import { customResourceTypes } from "../components/custom-resources";
import { Registration } from "./offline/record";

// Typical durations of a first `pulumi up`, per kind of resource, for the plan's critical-path estimate.
// No project we studied publishes a measured step-by-step timing, so most figures are our estimates for
// a homelab (1 Gbit LAN, SSD datastores); each says where it comes from. End-to-end figures published:
// madhank93/homelab "Provision VMs, bootstrap Talos, install Cilium + ArgoCD (~15 min)", onedr0p
// cluster-template "10+ minutes is normal" (after the nodes exist), Moortu "wait for VMs to boot (2-3 minutes)".

export interface Duration {
    seconds: number;
    what: string;
    source: string;
}

interface Rule extends Duration {
    matches: (r: Registration) => boolean;
}

const type = (t: string) => (r: Registration) => r.type === t;
const estimate = "our estimate";

const rules: Rule[] = [
    { matches: type("talos:imageFactory/schematic:Schematic"), seconds: 2, what: "image factory schematic (one POST)", source: estimate },
    {
        matches: type("proxmoxve:download/file:File"),
        seconds: 90,
        what: "Talos disk image download and gunzip on a host (~100 MB)",
        source: estimate,
    },
    {
        matches: type("proxmoxve:index/vmLegacy:VmLegacy"),
        seconds: 150,
        what: "VM create, disk import over SSH, boot to maintenance mode",
        source: "Moortu/proxmox-talos-k8s README: VMs boot in 2-3 minutes",
    },
    // Every apply is staged: on a node in maintenance mode that only persists the config (Talos v1.13.9
    // v1alpha1_server.go ApplyConfiguration, STAGED: SetPersistedConfig alone). The first apply after it applies the
    // config at once (NO_REBOOT), and the node installs to disk and reboots: the next Talos call (the bootstrap) waits
    // for that, so its time is written on the first apply.
    {
        matches: type("talos:machine/configurationApply:ConfigurationApply"),
        seconds: 5,
        what: "staged config apply: persisted for the next boot, no reboot",
        source: "Talos v1.13.9 ApplyConfiguration (STAGED); estimate",
    },
    {
        matches: type(customResourceTypes.MaintenanceApply),
        seconds: 90,
        what: "first apply in maintenance mode: install to disk and reboot",
        source: estimate,
    },
    { matches: type("talos:machine/bootstrap:Bootstrap"), seconds: 20, what: "etcd bootstrap call", source: estimate },
    {
        matches: type("talos:cluster/kubeconfig:Kubeconfig"),
        seconds: 240,
        what: "Talos-level health gate (etcd quorum, control plane up) then kubeconfig",
        source: "vehagn/homelab health read timeout 10m is the upper bound; estimate",
    },
    {
        matches: (r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name.endsWith("cilium-chart"),
        seconds: 150,
        what: "Cilium install: image pulls, agents ready",
        source: estimate,
    },
    {
        matches: (r) => r.type === "kubernetes:helm.sh/v4:Chart" || r.type === "kubernetes:helm.sh/v3:Release",
        seconds: 90,
        what: "Helm chart install and rollout",
        source: estimate,
    },
    {
        matches: type("kubernetes:cert-manager.io/v1:Certificate"),
        seconds: 150,
        what: "ACME DNS-01: TXT record, propagation check, issuance",
        source: "Let's Encrypt DNS-01 with Cloudflare typically 1-3 minutes; estimate",
    },
    { matches: (r) => r.type.startsWith("cloudflare:"), seconds: 3, what: "Cloudflare API call", source: estimate },
    {
        matches: type(customResourceTypes.KubernetesApiReady),
        seconds: 60,
        what: "kube-apiserver answering /readyz behind the VIP",
        source: estimate,
    },
    {
        matches: type(customResourceTypes.KubernetesNodesReady),
        seconds: 90,
        what: "full health gate: every node Ready once Cilium runs",
        source: "cluster-template: nodes stay Ready=False until the CNI is up; estimate",
    },
    // A first `pulumi up` records the rollout's order, each node and the DNS token's term; none calls anything then.
    {
        matches: type(customResourceTypes.TalosRollout),
        seconds: 0,
        what: "rollout record (nothing to roll on a first run)",
        source: "no remote call on create",
    },
    { matches: type(customResourceTypes.KubernetesNode), seconds: 0, what: "node record", source: "no remote call on create" },
    { matches: type(customResourceTypes.TokenTerm), seconds: 0, what: "DNS token term record", source: "no remote call on create" },
    {
        matches: (r) => r.type === customResourceTypes.AdguardForwarder || r.type === customResourceTypes.TechnitiumForwarder,
        seconds: 2,
        what: "home DNS server API call",
        source: estimate,
    },
    { matches: (r) => r.type.startsWith("pulumi:providers:"), seconds: 0, what: "provider configuration", source: "no remote call" },
    { matches: (r) => r.type.startsWith("kubernetes:apps/v1:"), seconds: 30, what: "Deployment rollout", source: estimate },
    { matches: (r) => r.type.startsWith("kubernetes:"), seconds: 2, what: "Kubernetes object apply", source: estimate },
    { matches: () => true, seconds: 1, what: "other", source: estimate },
];

/** The typical duration of one resource's create (components take no time of their own). */
export function durationOf(r: Registration): Duration {
    if (!r.custom && !r.remote) return { seconds: 0, what: "component", source: "grouping only" };
    const { seconds, what, source } = rules.find((rule) => rule.matches(r))!;
    return { seconds, what, source };
}
