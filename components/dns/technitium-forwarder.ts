import * as pulumi from "@pulumi/pulumi";
import { customResourceOptions, customResourceTypes } from "../custom-resources";

export interface TechnitiumForwarderArgs {
    /** Base URL of Technitium's web console with its port, e.g. "http://172.16.1.10:5380". */
    url: pulumi.Input<string>;
    /** API token (homelab:technitiumToken); kept as a secret output. */
    token: pulumi.Input<string>;
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

/** Technitium's Conditional Forwarder zone for one domain (provider/forwarders.ts keeps it). */
export class TechnitiumForwarder extends pulumi.CustomResource {
    /** Where the zone forwards ("" when a refresh found no Forwarder zone). */
    declare public readonly target: pulumi.Output<string>;

    constructor(name: string, args: TechnitiumForwarderArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            customResourceTypes.TechnitiumForwarder,
            name,
            { ...args },
            customResourceOptions("TechnitiumForwarder", {
                ...opts,
                additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "token"],
            }),
        );
    }
}
