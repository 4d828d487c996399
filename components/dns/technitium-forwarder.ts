import * as pulumi from "@pulumi/pulumi";
import { ForwarderProps, forwarderProvider } from "./forwarder-provider";
import { technitiumCreateForwarder, technitiumReadForwarder, technitiumRemoveForwarder, technitiumUpdateForwarder } from "./technitium-api";

/** The state of a {@link TechnitiumForwarder}: where to reach Technitium DNS and what to forward. */
export interface TechnitiumForwarderProps extends ForwarderProps {
    /** API token sent as a bearer token; a secret output. */
    token: string;
}

/**
 * Keeps a Conditional Forwarder zone for the domain on Technitium DNS: made when absent or adopted
 * when it forwards only to the target, and deleted only while it still does.
 */
export const technitiumForwarderProvider = forwarderProvider<TechnitiumForwarderProps>({
    read: (p) => technitiumReadForwarder(p, p.domain),
    create: (p) => technitiumCreateForwarder(p, p.domain, p.target),
    update: (olds, news) => technitiumUpdateForwarder(news, news.domain, olds.target, news.target),
    remove: (p) => technitiumRemoveForwarder(p, p.domain, p.target),
}, ["url", "token", "domain", "target", "timeoutMs"]);

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
}

/** Technitium's Conditional Forwarder zone for one domain, managed by {@link technitiumForwarderProvider}. */
export class TechnitiumForwarder extends pulumi.dynamic.Resource {
    /** Where the zone forwards ("" when a refresh found no Forwarder zone). */
    declare public readonly target: pulumi.Output<string>;

    constructor(name: string, args: TechnitiumForwarderArgs, opts?: pulumi.CustomResourceOptions) {
        super(technitiumForwarderProvider, name, { ...args },
            { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "token"] },
            "dns", "TechnitiumForwarder");
    }
}
