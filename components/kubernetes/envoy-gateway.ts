import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { GatewayName } from "../config";
import { envoyGatewayNamespace, envoyGateways } from "../config/facts";
import * as versions from "../versions";
import {
    clientTrafficPolicyManifest,
    EnvoyGatewayPlan,
    envoyGatewayValues,
    envoyProxyManifest,
    gatewayClassManifest,
    gatewayCrdsValues,
    gatewayManifest,
    gatewayNames,
    httpsRedirectManifest,
} from "./plan/envoy-gateway";

export { gatewayNames, gatewayServiceHost } from "./plan/envoy-gateway";

export interface EnvoyGatewayArgs {
    /** envoyGatewayPlan(spec): the gateways' addresses, the pod network, the node count and the TLS Secret. */
    plan: EnvoyGatewayPlan;
    /** The `network` Namespace's metadata.name output: gateways, proxies, their Services and policies live there. */
    namespace: pulumi.Input<string>;
}

/** Where an HTTPRoute or the tunnel finds a gateway: parentRefs `{name, namespace}`, Service `<name>.<namespace>.svc`. */
export interface GatewayRef {
    /** `envoy-internal` or `envoy-external`; also the name of the gateway's Envoy Service (GatewayNamespace mode). */
    name: string;
    /** The Gateway's own metadata.namespace: a route built from it waits for the Gateway, and so for the CRDs. */
    namespace: pulumi.Output<string>;
    resource: k8s.apiextensions.CustomResource;
}

/**
 * Envoy Gateway (controller and the Gateway API CRDs) and the two gateways of the spec, envoy-internal and
 * envoy-external at their homelab:gateways addresses, each with its own Envoy Deployment and LoadBalancer Service in `network`.
 */
export class EnvoyGateway extends pulumi.ComponentResource {
    /**
     * The Gateway API and Envoy Gateway CRDs, applied and upgraded from gateway-crds-helm: anything that needs them
     * (this controller, cert-manager's, k8s_gateway) waits for this.
     */
    public readonly crds: k8s.helm.v4.Chart;
    public readonly chart: k8s.helm.v3.Release;
    public readonly gateways: Readonly<Record<GatewayName, GatewayRef>>;

    constructor(name: string, args: EnvoyGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:kubernetes:EnvoyGateway", name, {}, opts);
        const { plan } = args;
        const network = args.namespace;

        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: envoyGatewayNamespace } }, { parent: this });
        // Cluster-scoped objects only: no namespace. The provider creates them and updates them by server-side
        // apply, never with a last-applied annotation, which the largest CRD (EnvoyProxy, ~1.4 MB) would take past
        // the 256 KiB limit. A cluster whose CRDs gateway-helm installed needs one adopting run (README).
        // Kept on delete: deleting a CRD deletes every object of it (every Gateway, HTTPRoute, EnvoyProxy), so a
        // renamed or removed chart, or a release that drops a CRD, must leave it in the cluster. The engine gives
        // a component's retainOnDelete to the objects the chart registers under it (pulumi/pulumi v3.248.0
        // pkg/resource/deploy/source_eval.go inheritFromParent: DeletedWith, Protect, RetainOnDelete, Provider).
        this.crds = new k8s.helm.v4.Chart(
            `${name}-crds`,
            { chart: versions.envoyGateway.crdsChart, version: versions.envoyGateway.version, values: gatewayCrdsValues() },
            { parent: this, retainOnDelete: true },
        );
        // A Helm release, not helm.v4.Chart: v4 never applies hook resources, and the chart's pre-install
        // certgen Job makes the Secret the controller mounts (without it: "secret envoy-gateway not found",
        // https://github.com/envoyproxy/gateway/issues/6480). The preview shows the release's values.
        this.chart = new k8s.helm.v3.Release(
            `${name}-chart`,
            {
                chart: versions.envoyGateway.chart,
                version: versions.envoyGateway.version,
                namespace: namespace.metadata.name,
                values: envoyGatewayValues(),
                // The CRDs come from this.crds. crds.enabled stays on (the chart default): it also renders the
                // Gateway API safe-upgrades ValidatingAdmissionPolicy from the crds subchart's templates, which
                // gateway-crds-helm does not ship.
                skipCrds: true,
                waitForJobs: true,
            },
            // The controller watches kinds those CRDs define, and upgrades must reach the CRDs first.
            { parent: this, dependsOn: [this.crds] },
        );

        // Every object below is of a kind whose CRD the chart installs, and the controller that acts on them
        // (and removes their finalizers on delete) is the chart's: no input links them to it.
        const afterChart = { parent: this, dependsOn: [this.chart] };
        const resource = (role: string, manifest: k8s.apiextensions.CustomResourceArgs) =>
            new k8s.apiextensions.CustomResource(`${name}-${role}`, manifest, afterChart);

        resource("envoy-proxy", envoyProxyManifest(plan, network));
        resource("gateway-class", gatewayClassManifest(network));
        const gateway = (g: GatewayName): GatewayRef => {
            const gw = resource(gatewayNames[g], gatewayManifest(plan, g, network));
            return { name: gatewayNames[g], namespace: gw.metadata.namespace, resource: gw };
        };
        this.gateways = { internal: gateway("internal"), external: gateway("external") };
        resource("https-redirect", httpsRedirectManifest(network));
        for (const g of envoyGateways) resource(`client-traffic-${g}`, clientTrafficPolicyManifest(plan, g, network));

        this.registerOutputs({});
    }
}
