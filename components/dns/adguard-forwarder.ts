import * as pulumi from "@pulumi/pulumi";
import { customResourceOptions, customResourceTypes } from "../custom-resources";

export interface AdguardForwarderArgs {
    /** Base URL of AdGuard Home, e.g. "http://172.16.1.11" (the API lives under /control). */
    url: pulumi.Input<string>;
    /** Login name for HTTP basic auth, e.g. "admin". */
    username: pulumi.Input<string>;
    /** Password for HTTP basic auth (homelab:adguardPassword); kept as a secret output. */
    password: pulumi.Input<string>;
    /** The domain to forward, e.g. "ragas.cc". */
    domain: pulumi.Input<string>;
    /** Where to forward it: k8s_gateway's address, e.g. "172.16.1.60". */
    target: pulumi.Input<string>;
    /** How long to wait for each answer, in ms; 10000 when unset. */
    timeoutMs?: pulumi.Input<number>;
    /** Over https: the PEM CA that issued the server's certificate; the host's name or IP is checked too. */
    caCertificate?: pulumi.Input<string>;
    /** Over https: the SHA-256 fingerprint of the server's certificate (`AB:CD:...`); checked before the credential is sent. */
    fingerprint?: pulumi.Input<string>;
}

/** AdGuard Home's per-domain upstream for one domain (provider/forwarders.ts keeps `[/domain/]target` in its upstream list). */
export class AdguardForwarder extends pulumi.CustomResource {
    /** Where AdGuard forwards the domain ("" when a refresh found no line for it). */
    declare public readonly target: pulumi.Output<string>;

    constructor(name: string, args: AdguardForwarderArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            customResourceTypes.AdguardForwarder,
            name,
            { ...args },
            customResourceOptions("AdguardForwarder", {
                ...opts,
                additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "password"],
            }),
        );
    }
}
