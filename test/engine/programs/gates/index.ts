// The two gates as the program wires them: the API gate of components/talos/cluster.ts, and the nodes gate of
// components/kubernetes/cluster-ready.ts with its options (the node count is ignored after the first build).
// ClusterReady itself also makes a Kubernetes provider, whose plugin the engine tests do not have.
import * as pulumi from "@pulumi/pulumi";
import { ApiAccess, KubernetesApiReady, KubernetesNodesReady } from "../../../../components/kubernetes/readiness";

const config = new pulumi.Config();
const access = pulumi
    .all([config.requireObject<Omit<ApiAccess, "clientKey">>("access"), config.requireSecret("clientKey")])
    .apply(([plain, clientKey]): ApiAccess => ({ ...plain, clientKey }));

// 600 and 1200 s in the program; a test shortens them to see a gate give up.
const timeoutSeconds = config.getNumber("timeoutSeconds") ?? 120;

const apiReady = new KubernetesApiReady("api-ready", { access, timeoutSeconds });
const nodesReady = new KubernetesNodesReady(
    "nodes-ready",
    { access, expectedNodes: config.requireNumber("expectedNodes"), timeoutSeconds },
    { dependsOn: [apiReady], ignoreChanges: ["expectedNodes"] },
);

export const nodesReadyId = nodesReady.id;
