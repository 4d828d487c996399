import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { CloudflareEdge } from "./cloudflare/edge";
import { edgePlan } from "./cloudflare/plan/edge";
import { cloudflareProvider, tokenMintingProvider } from "./cloudflare/provider";
import { splitDnsForwardingPlan } from "./dns/plan/split-dns-forwarding";
import { SplitDnsForwarding } from "./dns/split-dns-forwarding";
import { Apps } from "./kubernetes/apps";
import { appsPlan } from "./kubernetes/plan/apps";
import { CertManager } from "./kubernetes/cert-manager";
import { certManagerPlan } from "./kubernetes/plan/cert-manager";
import { Cilium } from "./kubernetes/cilium";
import { ciliumPlan } from "./kubernetes/plan/cilium";
import { Cloudflared } from "./kubernetes/cloudflared";
import { cloudflaredPlan } from "./kubernetes/plan/cloudflared";
import { EnvoyGateway } from "./kubernetes/envoy-gateway";
import { envoyGatewayPlan } from "./kubernetes/plan/envoy-gateway";
import { K8sGateway } from "./kubernetes/k8s-gateway";
import { k8sGatewayPlan } from "./kubernetes/plan/k8s-gateway";
import { VerifyAccess } from "./kubernetes/verify-access";
import { proxmoxProvider } from "./proxmox/provider";
import { TalosVms } from "./proxmox/talos-vms";
import { talosVmsPlan } from "./proxmox/plan/talos-vms";
import { HomelabSpec, networkNamespace } from "./config";
import { TalosCluster } from "./talos/cluster";
import { ClusterReady } from "./kubernetes/cluster-ready";
import { TalosImage } from "./talos/image";
import { talosPlan } from "./talos/plan/cluster";
import { talosImagePlan } from "./talos/plan/image";

export interface HomelabArgs {
    /** The validated spec; the only input. */
    spec: HomelabSpec;
}

/**
 * The one graph (DESIGN.md §4): wires the components in the order the real system needs; no logic of
 * its own. Each edge is an input or a stated dependsOn inside the component that needs it.
 */
export class Homelab extends pulumi.ComponentResource {
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly talosconfig: pulumi.Output<string>;
    /** Home DNS servers whose forwarding was skipped, with the reason. */
    public readonly skippedForwarders: string[];

    constructor(name: string, args: HomelabArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:index:Homelab", name, {}, opts);
        const { spec } = args;
        const { secrets } = spec;
        const talosClusterPlan = talosPlan(spec);

        // Machines: image per host, VMs, Talos.
        const proxmox = proxmoxProvider(`${name}-proxmox`, spec.proxmox, secrets.proxmoxApiToken, secrets.proxmoxSshPrivateKey, {
            parent: this,
        });
        const image = new TalosImage(`${name}-talos-image`, { plan: talosImagePlan(spec) }, { parent: this, providers: [proxmox] });
        const vms = new TalosVms(
            `${name}-vms`,
            { plan: talosVmsPlan(spec), imageFileIds: image.fileIds },
            { parent: this, providers: [proxmox] },
        );
        const talos = new TalosCluster(
            `${name}-talos`,
            { plan: talosClusterPlan, vms: vms.vms, installerImage: image.installerImage, proxmoxApiToken: secrets.proxmoxApiToken },
            { parent: this },
        );

        // The Cloudflare edge needs nothing from the cluster: it starts with the VMs.
        // Validation requires the main token exactly when homelab:cloudflare is set.
        const edgeSettings = edgePlan(spec);
        const edge =
            edgeSettings && secrets.cloudflareApiToken
                ? new CloudflareEdge(
                      `${name}-edge`,
                      {
                          plan: edgeSettings,
                          tokenMinter: edgeSettings.cloudflare.mintDnsToken
                              ? tokenMintingProvider(`${name}-cloudflare-token-minter`, process.env, { parent: this })
                              : undefined,
                      },
                      { parent: this, providers: [cloudflareProvider(`${name}-cloudflare`, secrets.cloudflareApiToken, { parent: this })] },
                  )
                : undefined;
        // DNS-01's token: the DNS-only one the user gives, or the expiring one the edge mints; never the main token.
        const certManagerToken = edge?.dnsToken ?? secrets.cloudflareDnsToken;
        if (!certManagerToken)
            throw new pulumi.ResourceError(
                "cert-manager has no DNS-only token: set homelab:cloudflareDnsToken or homelab:cloudflare.mintDnsToken",
                this,
            );

        // The CNI, then the gate every add-on waits for.
        const cilium = new Cilium(`${name}-cilium`, { plan: ciliumPlan(spec) }, { parent: this, providers: [talos.provider] });
        const ready = new ClusterReady(
            `${name}-ready`,
            { access: talos.apiAccess, kubeconfig: talos.kubeconfig, expectedNodes: talosClusterPlan.nodes.length, after: [cilium] },
            { parent: this },
        );
        const cluster = { parent: this, providers: [ready.provider] };

        // Add-ons, in parallel after the gate: ingress and certificates, split DNS, the tunnel's connector.
        const network = new k8s.core.v1.Namespace(
            `${name}-network`,
            { metadata: { name: networkNamespace } },
            { parent: this, provider: ready.provider },
        );
        const namespace = network.metadata.name;
        const envoyGateway = new EnvoyGateway(`${name}-envoy-gateway`, { plan: envoyGatewayPlan(spec), namespace }, cluster);
        new CertManager(
            `${name}-cert-manager`,
            { plan: certManagerPlan(spec), dnsToken: certManagerToken, namespace, gatewayApiCrds: envoyGateway.crds },
            cluster,
        );
        new Apps(
            `${name}-apps`,
            // Routes attach to the Gateways (which wait for the CRDs); policies need Cilium's CRD.
            {
                plan: appsPlan(spec),
                routesAfter: [envoyGateway.gateways.internal.resource, envoyGateway.gateways.external.resource],
                policiesAfter: [cilium.chart],
            },
            cluster,
        );
        const k8sGateway = new K8sGateway(
            `${name}-k8s-gateway`,
            { plan: k8sGatewayPlan(spec), namespace, gatewayApiCrds: envoyGateway.crds },
            cluster,
        );
        if (edge) {
            new Cloudflared(
                `${name}-cloudflared`,
                { plan: cloudflaredPlan(spec), namespace, tunnelToken: edge.tunnelToken, tunnelId: edge.tunnelId },
                cluster,
            );
        }

        // What `npm run verify` reads, read-only, so it need not run as the cluster admin.
        new VerifyAccess(`${name}-verify-access`, { network }, cluster);

        const forwarding = new SplitDnsForwarding(
            `${name}-split-dns`,
            {
                ...splitDnsForwardingPlan(spec),
                adguardPassword: secrets.adguardPassword,
                technitiumToken: secrets.technitiumToken,
                // The home DNS servers may send the domain to k8s_gateway only once it answers there; its
                // address is known from config, so no input carries that order.
                after: [k8sGateway.service],
            },
            { parent: this },
        );
        this.skippedForwarders = forwarding.skipped;

        this.kubeconfig = talos.kubeconfig;
        this.talosconfig = talos.talosconfig;
        this.registerOutputs({ kubeconfig: this.kubeconfig, talosconfig: this.talosconfig });
    }
}
