// Every custom resource type our provider serves, by its token (components/custom-resources.ts).
import { customResourceTypes, CustomResourceKind } from "../components/custom-resources";
import { adguardForwarder, technitiumForwarder } from "./forwarders";
import type { ResourceHandler } from "./handler";
import { kubernetesNodeHandler } from "./kubernetes-node";
import { maintenanceApplyHandler } from "./maintenance-apply";
import { apiReady, nodesReady } from "./readiness";
import { talosRollout } from "./talos-rollout";
import { tokenTermHandler } from "./token-term";

const byKind: Record<CustomResourceKind, ResourceHandler> = {
    TalosRollout: talosRollout,
    MaintenanceApply: maintenanceApplyHandler,
    KubernetesNode: kubernetesNodeHandler,
    KubernetesApiReady: apiReady,
    KubernetesNodesReady: nodesReady,
    AdguardForwarder: adguardForwarder,
    TechnitiumForwarder: technitiumForwarder,
    TokenTerm: tokenTermHandler,
};

export const handlers: Readonly<Record<string, ResourceHandler>> = Object.fromEntries(
    Object.entries(byKind).map(([kind, handler]) => [customResourceTypes[kind as CustomResourceKind], handler]),
);
