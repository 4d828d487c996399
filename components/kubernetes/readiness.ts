import * as pulumi from "@pulumi/pulumi";
import { customResourceOptions, customResourceTypes } from "../custom-resources";
import type { ApiAccess } from "./api-access";

// Gates on the Kubernetes API, as create-only custom resources (provider/readiness.ts): each polls the API with the
// admin client certificate (Talos turns anonymous requests off) until a condition holds, and waits only when it is
// created, so later previews and ups never re-run it and a new node never makes it unknown.
// - KubernetesApiReady: /readyz answers 200. Talos' own checks without Kubernetes cover etcd, apid and the
//   kubelet, not kube-apiserver, so Cilium's install could otherwise meet a closed port.
// - KubernetesNodesReady: every node is Ready, which needs the CNI: the gate every add-on waits for.

export type { ApiAccess } from "./api-access";

export interface GateArgs {
    /** API access from the Talos kubeconfig resource; the client key is secret. */
    access: pulumi.Input<ApiAccess>;
    /** How long to wait in all, in seconds. */
    timeoutSeconds: number;
}

function gateInputs(args: GateArgs) {
    const access = pulumi.output(args.access);
    return {
        host: pulumi.unsecret(access.host),
        caCertificate: pulumi.unsecret(access.caCertificate),
        clientCertificate: pulumi.unsecret(access.clientCertificate),
        clientKey: pulumi.secret(access.clientKey),
        timeoutSeconds: args.timeoutSeconds,
    };
}

/** Exists once kube-apiserver answers /readyz behind the VIP. Its state keeps the host alone. */
export class KubernetesApiReady extends pulumi.CustomResource {
    declare public readonly host: pulumi.Output<string>;

    constructor(name: string, args: GateArgs, opts?: pulumi.CustomResourceOptions) {
        super(customResourceTypes.KubernetesApiReady, name, gateInputs(args), customResourceOptions("KubernetesApiReady", opts));
    }
}

/** Exists once every node is Ready (so the CNI runs) and `expectedNodes` have registered. */
export class KubernetesNodesReady extends pulumi.CustomResource {
    declare public readonly host: pulumi.Output<string>;

    constructor(name: string, args: GateArgs & { expectedNodes: number }, opts?: pulumi.CustomResourceOptions) {
        super(
            customResourceTypes.KubernetesNodesReady,
            name,
            { ...gateInputs(args), expectedNodes: args.expectedNodes },
            customResourceOptions("KubernetesNodesReady", opts),
        );
    }
}
