/* eslint-disable @typescript-eslint/no-explicit-any */
// One bad config per rule of DESIGN.md §3: an edit of the home stack and the exact message it must give.
import { serverCerts } from "../harness/impostors";
import { fixtureStackFile } from "../harness/home";

export interface BadConfig {
    rule: string;
    edit: (c: Record<string, any>) => void;
    /** Secrets left unset. */
    unset?: string[];
    message: string;
}

const node = (c: Record<string, any>, i: number) => c["homelab:nodes"][i];

/** A host's own certificate (not a CA), as a user might paste pve-ssl.pem where pve-root-ca.pem belongs. */
const hostCertificatePem = serverCerts().right.certPem;

export const badConfigs: BadConfig[] = [
    {
        rule: "a node address outside the node network",
        edit: (c) => (node(c, 2).ip = "172.16.2.52"),
        message:
            "homelab:nodes[talos-cp-3].ip: 172.16.2.52 is outside homelab:network.nodeCidr 172.16.1.0/24. Fix: use an address inside 172.16.1.0/24.",
    },
    {
        rule: "an address used twice",
        edit: (c) => (node(c, 1).ip = "172.16.1.50"),
        message:
            "homelab:nodes[talos-cp-2].ip: 172.16.1.50 is already used by homelab:nodes[talos-cp-1].ip. Fix: give every host, node, VIP and gateway its own address.",
    },
    {
        rule: "an infrastructure host on a node's address",
        edit: (c) => (c["homelab:infrastructure"][6].ip = "172.16.1.53"),
        message:
            "homelab:nodes[talos-worker-1].ip: 172.16.1.53 is already used by homelab:infrastructure[adguard].ip. Fix: give every host, node, VIP and gateway its own address.",
    },
    {
        rule: "the VIP inside the load-balancer range",
        edit: (c) => (c["homelab:talos"].vip = "172.16.1.65"),
        message:
            "homelab:talos.vip: 172.16.1.65 (Kubernetes API VIP) is inside homelab:network.loadBalancerRange 172.16.1.60-172.16.1.69. Fix: move the address or the load-balancer range so they do not overlap.",
    },
    {
        rule: "a gateway outside the load-balancer range",
        edit: (c) => (c["homelab:gateways"].internal = "172.16.1.70"),
        message:
            "homelab:gateways.internal: 172.16.1.70 is outside homelab:network.loadBalancerRange 172.16.1.60-172.16.1.69. Fix: pick an address inside the load-balancer range.",
    },
    {
        rule: "two gateways on one address",
        edit: (c) => (c["homelab:gateways"].external = "172.16.1.61"),
        message:
            "homelab:gateways.external: 172.16.1.61 is already used by homelab:gateways.internal (internal gateway). Fix: give every host, node, VIP and gateway its own address.",
    },
    {
        rule: "a load-balancer range over an infrastructure host",
        edit: (c) => (c["homelab:network"].loadBalancerRange.start = "172.16.1.11"),
        message:
            "homelab:infrastructure[adguard].ip: 172.16.1.11 is inside homelab:network.loadBalancerRange 172.16.1.11-172.16.1.69. Fix: move the address or the load-balancer range so they do not overlap.",
    },
    {
        rule: "the router inside the load-balancer range",
        edit: (c) => (c["homelab:network"].gateway = "172.16.1.65"),
        message:
            "homelab:network.gateway: 172.16.1.65 (default gateway) is inside homelab:network.loadBalancerRange 172.16.1.60-172.16.1.69. Fix: move the address or the load-balancer range so they do not overlap.",
    },
    {
        rule: "a node on the router's address",
        edit: (c) => {
            c["homelab:network"].gateway = "172.16.1.254";
            c["homelab:nodes"][3].ip = "172.16.1.254";
        },
        message:
            "homelab:nodes[talos-worker-1].ip: 172.16.1.254 is already used by homelab:network.gateway (default gateway). Fix: give every host, node, VIP and gateway its own address.",
    },
    {
        rule: "a load-balancer range over a node",
        edit: (c) => (c["homelab:network"].loadBalancerRange.start = "172.16.1.53"),
        message:
            "homelab:nodes[talos-worker-1].ip: 172.16.1.53 is inside homelab:network.loadBalancerRange 172.16.1.53-172.16.1.69. Fix: move the address or the load-balancer range so they do not overlap.",
    },
    {
        rule: "a load-balancer range outside the node network",
        edit: (c) => (c["homelab:network"].loadBalancerRange.stop = "172.16.2.69"),
        message:
            "homelab:network.loadBalancerRange.stop: 172.16.2.69 is outside homelab:network.nodeCidr 172.16.1.0/24. Fix: use an address inside 172.16.1.0/24.",
    },
    {
        rule: "a load-balancer range that runs backwards",
        edit: (c) => (c["homelab:network"].loadBalancerRange = { start: "172.16.1.69", stop: "172.16.1.60" }),
        message: "homelab:network.loadBalancerRange: start 172.16.1.69 comes after stop 172.16.1.60. Fix: swap them.",
    },
    {
        rule: "overlapping pod and service networks",
        edit: (c) => (c["homelab:network"].serviceCidr = "10.42.128.0/17"),
        message:
            "homelab:network.serviceCidr: 10.42.128.0/17 overlaps homelab:network.podCidr 10.42.0.0/16. Fix: give the node, pod and service networks disjoint ranges.",
    },
    {
        rule: "a CIDR that is not a network address",
        edit: (c) => (c["homelab:network"].nodeCidr = "172.16.1.5/24"),
        message:
            "homelab:network.nodeCidr: 172.16.1.5/24 has host bits set; did you mean 172.16.1.0/24? Fix: write the network's own address: 172.16.1.0/24.",
    },
    {
        rule: "an address that does not parse",
        edit: (c) => (c["homelab:talos"].vip = "172.16.1"),
        message: "homelab:talos.vip: 172.16.1 is not an IPv4 address. Fix: write a dotted-quad address such as 172.16.1.50.",
    },
    {
        rule: "an even number of control planes",
        edit: (c) => (node(c, 3).role = "controlplane"),
        message:
            "homelab:nodes: has 4 control planes; etcd needs an odd number to keep quorum. Fix: use 1, 3 or 5 nodes with role: controlplane.",
    },
    {
        rule: "no control plane",
        edit: (c) => c["homelab:nodes"].forEach((n: any) => (n.role = "worker")),
        message:
            "homelab:nodes: has 0 control planes; etcd needs an odd number to keep quorum. Fix: use 1, 3 or 5 nodes with role: controlplane.",
    },
    {
        rule: "a node on an unknown Proxmox host",
        edit: (c) => (node(c, 3).host = "pve9"),
        message:
            "homelab:nodes[talos-worker-1].host: pve9 is not one of homelab:proxmox.hosts (pve1, pve2, pve3, pve4). Fix: place the node on a configured Proxmox host, or add the host to homelab:proxmox.hosts.",
    },
    {
        rule: "a Proxmox host with no infrastructure entry",
        edit: (c) => c["homelab:proxmox"].hosts.push("pve5"),
        message:
            "homelab:proxmox.hosts[4]: pve5 is not a homelab:infrastructure entry. Fix: add {name: pve5, ip: <its address>} to homelab:infrastructure (the provider reaches it over SSH).",
    },
    {
        rule: "a node on a host that is infrastructure but not a Proxmox host",
        edit: (c) => (node(c, 3).host = "adguard"),
        message:
            "homelab:nodes[talos-worker-1].host: adguard is not one of homelab:proxmox.hosts (pve1, pve2, pve3, pve4). Fix: place the node on a configured Proxmox host, or add the host to homelab:proxmox.hosts.",
    },
    {
        rule: "duplicate node names",
        edit: (c) => (node(c, 2).name = "talos-cp-1"),
        // Two nodes with one name: a name no longer says which, so both are named by their position.
        message: "homelab:nodes[2].name: name talos-cp-1 is already used by homelab:nodes[0].name. Fix: give each its own name.",
    },
    {
        rule: "duplicate vmIds",
        edit: (c) => (node(c, 3).vmId = 150),
        message:
            "homelab:nodes[talos-worker-1].vmId: vmId 150 is already used by homelab:nodes[talos-cp-1].vmId. Fix: give each its own vmId.",
    },
    {
        rule: "duplicate MACs",
        edit: (c) => {
            node(c, 0).mac = "02:00:00:00:00:01";
            node(c, 1).mac = "02:00:00:00:00:01";
        },
        message:
            "homelab:nodes[talos-cp-2].mac: MAC 02:00:00:00:00:01 is already used by homelab:nodes[talos-cp-1].mac. Fix: give each its own MAC.",
    },
    {
        rule: "a node name that is not RFC 1123",
        edit: (c) => (node(c, 0).name = "Talos_CP_1"),
        message:
            "homelab:nodes[Talos_CP_1].name: Talos_CP_1 is not an RFC 1123 label. Fix: use lower-case letters, digits and hyphens (RFC 1123), e.g. talos-cp-1.",
    },
    {
        rule: "an app hostname that is not RFC 1123",
        edit: (c) => (c["homelab:apps"][0].hostname = "my_app"),
        message:
            "homelab:apps[my-app].hostname: my_app is not an RFC 1123 host name. Fix: use a label such as myapp, or a name under the domain.",
    },
    {
        rule: "an app on an unknown gateway",
        edit: (c) => (c["homelab:apps"][0].gateway = "dmz"),
        message: 'homelab:apps[my-app].gateway: "dmz" is not one of internal, external. Fix: use internal or external.',
    },
    {
        rule: "an external app with no Cloudflare configured",
        edit: (c) => {
            c["homelab:apps"][0].gateway = "external";
            delete c["homelab:cloudflare"];
        },
        message:
            "homelab:apps[my-app].gateway: is external but homelab:cloudflare is not configured, so nothing could reach it. Fix: set homelab:cloudflare (tunnelName) or use gateway: internal.",
    },
    {
        rule: "an app hostname outside the domain",
        edit: (c) => {
            c["homelab:apps"][0].gateway = "external";
            c["homelab:apps"][0].hostname = "app.example.com";
        },
        message:
            "homelab:apps[my-app].hostname: app.example.com is outside homelab:domain ragas.cc. Fix: use a name under ragas.cc, e.g. app.ragas.cc.",
    },
    {
        rule: "an external app on the tunnel's own name",
        edit: (c) => {
            c["homelab:apps"][0].gateway = "external";
            c["homelab:apps"][0].hostname = "external";
        },
        message:
            "homelab:apps[my-app].hostname: external.ragas.cc is the tunnel's own public record. Fix: pick another name under ragas.cc.",
    },
    {
        rule: "an external app two labels below the domain",
        edit: (c) => {
            c["homelab:apps"][0].gateway = "external";
            c["homelab:apps"][0].hostname = "a.b.ragas.cc";
        },
        message:
            "homelab:apps[my-app].hostname: a.b.ragas.cc is more than one label below ragas.cc, which the edge certificate (*.ragas.cc) does not cover. Fix: use a single label, e.g. a.ragas.cc.",
    },
    {
        rule: "an app on an infrastructure host's name",
        edit: (c) => (c["homelab:apps"][0].hostname = "router"),
        message:
            "homelab:apps[my-app].hostname: router.ragas.cc is already the manual record of homelab:infrastructure host router. Fix: pick a name no infrastructure host has.",
    },
    {
        rule: "an empty podSelector",
        edit: (c) => (c["homelab:apps"][0].podSelector = {}),
        message:
            "homelab:apps[my-app].podSelector: is empty, so the app's network policy would select every pod in namespace default. Fix: name the labels of the app's pods, e.g. {app: my-app}, or leave podSelector out for app: my-app.",
    },
    {
        rule: "an allowFrom entry with no labels",
        edit: (c) => c["homelab:apps"][0].allowFrom.push({}),
        message:
            "homelab:apps[my-app].allowFrom[1]: has no labels, so it would admit every pod of namespace default. Fix: name the labels of the pods that may connect, e.g. {app: frontend}.",
    },
    {
        rule: "a label key Kubernetes refuses",
        edit: (c) => (c["homelab:apps"][0].allowFrom = [{ "k8s:app": "frontend" }]),
        message:
            'homelab:apps[my-app].allowFrom[0].k8s:app: "k8s:app" is not a label key Kubernetes accepts. Fix: use an optional DNS prefix and `/`, then up to 63 letters, digits, `-`, `_` or `.` that start and end with a letter or digit, e.g. app.kubernetes.io/name (pods of another namespace: io.kubernetes.pod.namespace).',
    },
    {
        rule: "a label value Kubernetes refuses",
        edit: (c) => (c["homelab:apps"][0].podSelector = { app: "my app" }),
        message:
            'homelab:apps[my-app].podSelector.app: "my app" is not a label value Kubernetes accepts. Fix: use up to 63 letters, digits, `-`, `_` or `.` that start and end with a letter or digit.',
    },
    {
        rule: "an app in a system namespace without the opt-in",
        edit: (c) => (c["homelab:apps"][0].namespace = "kube-system"),
        message:
            "homelab:apps[my-app].namespace: kube-system is run by Kubernetes or by this program (kube-system, kube-public, kube-node-lease, network, cert-manager, envoy-gateway-system), where an app could take the name of one of their objects or change who reaches them. " +
            "Fix: use the app's own namespace, or set homelab:apps[my-app].allowSystemNamespace: true if it really belongs in kube-system.",
    },
    {
        rule: "an app on the program's redirect route",
        edit: (c) => Object.assign(c["homelab:apps"][0], { name: "https-redirect", namespace: "network", allowSystemNamespace: true }),
        message:
            "homelab:apps[https-redirect].name: https-redirect in network is the program's HTTP-to-HTTPS redirect route, which the app's route would replace. Fix: pick another app name.",
    },
    {
        rule: "an internal app on the tunnel's public name",
        edit: (c) =>
            c["homelab:apps"].push({ name: "status", hostname: "external", gateway: "internal", service: { name: "status", port: 80 } }),
        message:
            "homelab:apps[status].hostname: external.ragas.cc is the tunnel's own public record. Fix: pick another name under ragas.cc.",
    },
    {
        rule: "an app on the name of one of the program's LoadBalancer Services",
        edit: (c) => (c["homelab:apps"][0].hostname = "k8s-gateway-dns.network.ragas.cc"),
        message:
            "homelab:apps[my-app].hostname: k8s-gateway-dns.network.ragas.cc is the name k8s_gateway gives the program's LoadBalancer Service k8s-gateway-dns.network. Fix: pick another name under ragas.cc.",
    },
    {
        rule: "more cores than Proxmox accepts",
        edit: (c) => (node(c, 0).cores = 4096),
        message: "homelab:nodes[talos-cp-1].cores: 4096 is more than the 2304 cores the Proxmox provider accepts. Fix: give 2304 or less.",
    },
    {
        rule: "more memory than Proxmox accepts",
        edit: (c) => (node(c, 0).memoryMiB = 300000000),
        message:
            "homelab:nodes[talos-cp-1].memoryMiB: 300000000 is more than the 268435456 MiB (256 TiB) the Proxmox provider accepts. Fix: give 268435456 or less.",
    },
    {
        rule: "credentials in the Proxmox endpoint",
        edit: (c) => (c["homelab:proxmox"].endpoint = "https://root%40pam:hunter2@172.16.1.2:8006"),
        message:
            "homelab:proxmox.endpoint: carries credentials (user:password@) in the URL, which would be stored in plain text in the state and shown in previews. " +
            "Fix: remove them from the URL: the API token goes in homelab:proxmoxApiToken (`pulumi config set --secret homelab:proxmoxApiToken <user@realm!id=uuid>`).",
    },
    {
        rule: "credentials in the AdGuard URL",
        edit: (c) => (c["homelab:dnsForwarders"].adguard.url = "http://admin:hunter2@172.16.1.11"),
        message:
            "homelab:dnsForwarders.adguard.url: carries credentials (user:password@) in the URL, which would be stored in plain text in the state and shown in previews. " +
            "Fix: remove them from the URL: the user name goes in homelab:dnsForwarders.adguard.username and the password in homelab:adguardPassword (`pulumi config set --secret homelab:adguardPassword <password>`).",
    },
    {
        rule: "a token in the Technitium URL's query",
        edit: (c) => (c["homelab:dnsForwarders"].technitium.url = "http://172.16.1.10:5380/?token=abc123"),
        message:
            "homelab:dnsForwarders.technitium.url: carries a credential in its query (?token=), which would be stored in plain text in the state and shown in previews. " +
            "Fix: remove the query: the API token goes in homelab:technitiumToken (`pulumi config set --secret homelab:technitiumToken <token>`).",
    },
    {
        rule: "a required secret unset",
        edit: () => undefined,
        unset: ["homelab:proxmoxApiToken"],
        message:
            "homelab:proxmoxApiToken: is a required secret and is not set. Fix: run `pulumi config set --secret homelab:proxmoxApiToken <value>`.",
    },
    {
        rule: "a forwarder's secret unset while it is configured",
        edit: () => undefined,
        unset: ["homelab:technitiumToken"],
        message:
            "homelab:technitiumToken: is a required secret and is not set. Fix: run `pulumi config set --secret homelab:technitiumToken <value>`.",
    },
    {
        rule: "a Talos version that skips a minor",
        edit: (c) => (c["homelab:talos"].version = "v1.15.0"),
        message:
            "homelab:talos.version: v1.15.0 skips a minor version past the pinned v1.13.9; Talos moves one minor at a time. Fix: set a v1.14.x release (or a v1.13.x patch) first and run `pulumi up`, then the next minor.",
    },
    {
        rule: "a Kubernetes version that goes backwards",
        edit: (c) => (c["homelab:talos"].kubernetesVersion = "v1.35.2"),
        message:
            "homelab:talos.kubernetesVersion: v1.35.2 is older than the pinned v1.36.4, and Kubernetes never moves backwards. Fix: set v1.36.4 or a newer patch or minor release, or remove the key to use the pin.",
    },
    {
        rule: "a malformed Talos version",
        edit: (c) => (c["homelab:talos"].version = "1.14"),
        message:
            'homelab:talos.version: "1.14" is not a release version like v1.13.9. Fix: give a version of the form vMAJOR.MINOR.PATCH, e.g. v1.13.9.',
    },
    {
        rule: "a config contract ahead of the installed Talos",
        edit: (c) => (c["homelab:talos"].configContract = "v1.14"),
        message:
            "homelab:talos.configContract: v1.14 is newer than the installed Talos v1.13.9, whose nodes would refuse the config. Fix: keep v1.13 until every node runs v1.14; bump it in a later `pulumi up`.",
    },
    {
        rule: "no DNS-only token for cert-manager (the default: the user makes it)",
        edit: () => undefined,
        unset: ["homelab:cloudflareDnsToken"],
        message:
            "homelab:cloudflareDnsToken: is not set: cert-manager needs a DNS-only token for DNS-01, and the main token (homelab:cloudflareApiToken) never goes into the cluster. " +
            "Fix: create a token in the Cloudflare dashboard with Zone > Zone > Read and Zone > DNS > Edit on the domain's zone only, then run `pulumi config set --secret homelab:cloudflareDnsToken <token>` (or opt in to homelab:cloudflare.mintDnsToken, README: Cloudflare tokens).",
    },
    {
        rule: "no DNS-only token for cert-manager without homelab:cloudflare",
        edit: (c) => delete c["homelab:cloudflare"],
        unset: ["homelab:cloudflareDnsToken"],
        message:
            "homelab:cloudflareDnsToken: is not set: cert-manager needs a DNS-only token for DNS-01, and the main token (homelab:cloudflareApiToken) never goes into the cluster. " +
            "Fix: create a token in the Cloudflare dashboard with Zone > Zone > Read and Zone > DNS > Edit on the domain's zone only, then run `pulumi config set --secret homelab:cloudflareDnsToken <token>`.",
    },
    {
        rule: "a DNS token given while the edge mints one",
        edit: (c) => {
            c["homelab:cloudflare"].mintDnsToken = true;
            c["homelab:cloudflareDnsToken"] = { secure: "v1:dns-only" };
        },
        message:
            "homelab:cloudflareDnsToken: is set while homelab:cloudflare.mintDnsToken is true, which mints cert-manager its own token: one of the two would go unused. " +
            "Fix: set homelab:cloudflare.mintDnsToken to false to use this token, or remove it with `pulumi config rm homelab:cloudflareDnsToken`.",
    },
    {
        rule: "the old scopedTokens switch",
        edit: (c) => (c["homelab:cloudflare"].scopedTokens = true),
        message:
            "homelab:cloudflare.scopedTokens: is gone: minting made the stored main token able to create tokens for the whole account. " +
            "Fix: remove it; cert-manager now gets homelab:cloudflareDnsToken, a DNS-only token you create once (README: Cloudflare tokens), or set mintDnsToken: true to mint one from CLOUDFLARE_API_TOKEN at run time.",
    },
    {
        rule: "Proxmox certificate checks turned off with nothing pinned",
        edit: (c) => (c["homelab:proxmox"].insecure = true),
        message:
            "homelab:proxmox.insecure: is true with neither homelab:proxmox.fingerprint nor homelab:proxmox.caCertificate, so the API token would go to whatever answers at https://172.16.1.2:8006. " +
            "Fix: set homelab:proxmox.fingerprint to the SHA-256 fingerprint `pvenode cert info` prints on the host (or Datacenter > <node> > System > Certificates > pveproxy-ssl.pem > View Certificate), " +
            "or homelab:proxmox.caCertificate to /etc/pve/pve-root-ca.pem (and trust that CA on this machine to drop insecure).",
    },
    {
        rule: "a Proxmox fingerprint that is not SHA-256",
        edit: (c) => (c["homelab:proxmox"].fingerprint = "AB:CD:EF"),
        message:
            'homelab:proxmox.fingerprint: "AB:CD:EF" is not a SHA-256 fingerprint (32 hex bytes separated by colons, as `pvenode cert info` prints it). Fix: give a value of the shape the message describes.',
    },
    {
        rule: "a Proxmox CA that is a host's own certificate",
        edit: (c) => (c["homelab:proxmox"].caCertificate = hostCertificatePem),
        message:
            "homelab:proxmox.caCertificate: certificate 1 (CN=pve1) is a server's own certificate, not a CA. Fix: give the CA that issued it (Proxmox: /etc/pve/pve-root-ca.pem), or pin this certificate with its fingerprint instead.",
    },
    {
        rule: "a pin on a plain http forwarder",
        edit: (c) => (c["homelab:dnsForwarders"].technitium.fingerprint = `${"AB:".repeat(31)}AB`),
        message:
            "homelab:dnsForwarders.technitium.url: is plain http (http://172.16.1.10:5380), where a CA or fingerprint checks nothing. Fix: use the server's https:// address, or remove homelab:dnsForwarders.technitium.caCertificate and .fingerprint.",
    },
    {
        rule: "a bridge name that would inject net0 options",
        edit: (c) => (c["homelab:proxmox"].bridge = "vmbr0,tag=5"),
        message:
            'homelab:proxmox.bridge: "vmbr0,tag=5" is not a Linux bridge name (up to 15 letters, digits, -, _ or ., e.g. vmbr0). Fix: give a value of the shape the message describes.',
    },
    {
        rule: "a datastore that is a path",
        edit: (c) => (c["homelab:proxmox"].vmDatastore = "../.."),
        message:
            'homelab:proxmox.vmDatastore: "../.." is not a Proxmox storage ID (a letter, then letters, digits, -, _ or ., e.g. local-lvm). Fix: give a value of the shape the message describes.',
    },
    {
        rule: "an image datastore longer than any storage ID",
        edit: (c) => (c["homelab:proxmox"].imageDatastore = `l${"o".repeat(70)}cal`),
        message: "homelab:proxmox.imageDatastore: is longer than 64 characters. Fix: shorten it to 64 characters.",
    },
    {
        rule: "an issuer name with a path in it",
        edit: (c) => (c["homelab:certificates"].issuer = "Bad Name/../x"),
        message:
            'homelab:certificates.issuer: "Bad Name/../x" is not a Kubernetes object name (lower-case letters, digits, - and ., e.g. letsencrypt-production). Fix: give a value of the shape the message describes.',
    },
    {
        rule: "an AdGuard user name with a colon",
        edit: (c) => (c["homelab:dnsForwarders"].adguard.username = "ad:min"),
        message:
            'homelab:dnsForwarders.adguard.username: "ad:min" must not hold a colon or white space (HTTP basic auth splits user:password at the first colon). Fix: give a value of the shape the message describes.',
    },
    {
        rule: "20,000 apps",
        edit: (c) =>
            (c["homelab:apps"] = Array.from({ length: 20_000 }, (_, i) => ({
                ...c["homelab:apps"][0],
                name: `app-${i}`,
                hostname: `app-${i}`,
            }))),
        message: "homelab:apps: has 20000 entries; at most 500 are allowed. Fix: keep at most 500.",
    },
    {
        rule: "5,000 extensions of 1 KB",
        edit: (c) => (c["homelab:talos"].extensions = Array.from({ length: 5_000 }, (_, i) => `siderolabs/${"x".repeat(1000)}${i}`)),
        message: "homelab:talos.extensions: has 5000 entries; at most 64 are allowed. Fix: keep at most 64.",
    },
    {
        rule: "a required key missing",
        edit: (c) => delete c["homelab:gateways"],
        message: `homelab:gateways: is not set. Fix: set it in ${fixtureStackFile} (the README's configuration table shows its shape).`,
    },
    {
        rule: "an unknown key",
        edit: (c) => (c["homelab:nodez"] = []),
        message: "homelab:nodez: is not a known config key; did you mean homelab:nodes? Fix: rename it to homelab:nodes.",
    },
    {
        rule: "an unknown field",
        edit: (c) => (node(c, 0).memoryMb = 4096),
        message: "homelab:nodes[talos-cp-1].memoryMb: is not a known key; did you mean memoryMiB? Fix: rename it to memoryMiB.",
    },
    {
        rule: "a value of the wrong type",
        edit: (c) => (node(c, 0).vmId = "150"),
        message: 'homelab:nodes[talos-cp-1].vmId: is the text "150", not a number. Fix: write 150 without quotes.',
    },
    {
        rule: "a domain that is not a DNS name",
        edit: (c) => (c["homelab:domain"] = "Ragas_cc"),
        message: "homelab:domain: Ragas_cc is not a DNS name. Fix: use a lower-case domain such as ragas.cc.",
    },
];
