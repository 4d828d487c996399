import { tunnelHostname } from "./facts";
import { entryKey, ParsedConfig } from "./structure";
import { Problem } from "./problems";
import { deriveMac, isDomainName, isLabel, isUnicastMac } from "./names";

// Rules about names and identities: RFC 1123 names, unique names, vmIds and MACs, hosts that exist,
// an odd number of control planes, apps on a known gateway and under the domain.

const labelFix = "use lower-case letters, digits and hyphens (RFC 1123), e.g. talos-cp-1";

/** Reports the second and later holders of the same value. */
function duplicates<T>(
    items: readonly T[],
    value: (item: T) => string | number,
    key: (i: number) => string,
    what: string,
    report: (key: string, message: string, fix: string) => void,
) {
    const first = new Map<string | number, number>();
    items.forEach((item, i) => {
        const v = value(item);
        const prior = first.get(v);
        if (prior === undefined) first.set(v, i);
        else report(key(i), `${what} ${v} is already used by ${key(prior)}`, `give each its own ${what}`);
    });
}

export function identityProblems(c: ParsedConfig): Problem[] {
    const problems: Problem[] = [];
    const report = (key: string, message: string, fix: string) => problems.push({ key, message, fix });

    if (c.domain !== undefined && !isDomainName(c.domain))
        report("homelab:domain", `${c.domain} is not a DNS name`, "use a lower-case domain such as ragas.cc");
    if (c.talos && !isLabel(c.talos.clusterName))
        report("homelab:talos.clusterName", `${c.talos.clusterName} is not an RFC 1123 label`, labelFix);
    c.talos?.extensions.forEach((ext, i) => {
        if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(ext))
            report(
                `homelab:talos.extensions[${i}]`,
                `${ext} is not an image factory extension name`,
                "use <publisher>/<name>, e.g. siderolabs/qemu-guest-agent",
            );
    });

    const infra = c.infrastructure ?? [];
    infra.forEach((h, i) => {
        if (!isLabel(h.name)) report(`${entryKey(c, "infrastructure", i)}.name`, `${h.name} is not an RFC 1123 label`, labelFix);
    });
    duplicates(
        infra,
        (h) => h.name,
        (i) => `${entryKey(c, "infrastructure", i)}.name`,
        "name",
        report,
    );

    const infraNames = new Set(infra.map((h) => h.name));
    const pveHosts = c.proxmox?.hosts ?? [];
    pveHosts.forEach((host, i) => {
        // An entry that failed its shape may be the one that names it.
        if (c.infrastructure && !c.partial?.includes("infrastructure") && !infraNames.has(host))
            report(
                `homelab:proxmox.hosts[${i}]`,
                `${host} is not a homelab:infrastructure entry`,
                `add {name: ${host}, ip: <its address>} to homelab:infrastructure (the provider reaches it over SSH)`,
            );
    });
    duplicates(
        pveHosts,
        (h) => h,
        (i) => `homelab:proxmox.hosts[${i}]`,
        "host",
        report,
    );

    const nodes = c.nodes ?? [];
    nodes.forEach((n, i) => {
        const key = entryKey(c, "nodes", i);
        if (!isLabel(n.name)) report(`${key}.name`, `${n.name} is not an RFC 1123 label`, labelFix);
        if (n.vmId < 100 || n.vmId > 999999999)
            report(`${key}.vmId`, `${n.vmId} is outside Proxmox's VM ID range 100-999999999`, "pick an unused ID from 100 up");
        if (n.mac !== undefined && !isUnicastMac(n.mac))
            report(
                `${key}.mac`,
                `${n.mac} is not a lower-case unicast MAC`,
                "write it as 02:xx:xx:xx:xx:xx, or leave it out to derive one",
            );
        if (c.proxmox && !pveHosts.includes(n.host))
            report(
                `${key}.host`,
                `${n.host} is not one of homelab:proxmox.hosts (${pveHosts.join(", ")})`,
                "place the node on a configured Proxmox host, or add the host to homelab:proxmox.hosts",
            );
    });
    duplicates(
        nodes,
        (n) => n.name,
        (i) => `${entryKey(c, "nodes", i)}.name`,
        "name",
        report,
    );
    duplicates(
        nodes,
        (n) => n.vmId,
        (i) => `${entryKey(c, "nodes", i)}.vmId`,
        "vmId",
        report,
    );
    duplicates(
        nodes,
        (n) => n.mac ?? deriveMac(n.name),
        (i) => `${entryKey(c, "nodes", i)}.mac`,
        "MAC",
        report,
    );

    // With a node left out for its shape, the count would be wrong.
    if (c.nodes && !c.partial?.includes("nodes")) {
        const controlPlanes = nodes.filter((n) => n.role === "controlplane").length;
        if (controlPlanes === 0 || controlPlanes % 2 === 0) {
            report(
                "homelab:nodes",
                `has ${controlPlanes} control planes; etcd needs an odd number to keep quorum`,
                "use 1, 3 or 5 nodes with role: controlplane",
            );
        }
    }

    const apps = c.apps ?? [];
    apps.forEach((app, i) => {
        const key = entryKey(c, "apps", i);
        if (!isLabel(app.name)) report(`${key}.name`, `${app.name} is not an RFC 1123 label`, labelFix);
        if (!isLabel(app.namespace)) report(`${key}.namespace`, `${app.namespace} is not an RFC 1123 label`, labelFix);
        if (!isLabel(app.service.name)) report(`${key}.service.name`, `${app.service.name} is not an RFC 1123 label`, labelFix);
        if (app.gateway === "external" && !c.cloudflare) {
            report(
                `${key}.gateway`,
                "is external but homelab:cloudflare is not configured, so nothing could reach it",
                "set homelab:cloudflare (tunnelName) or use gateway: internal",
            );
        }
        if (c.domain === undefined) return;
        const fqdn = app.hostname.includes(".") ? app.hostname : `${app.hostname}.${c.domain}`;
        if (!isDomainName(fqdn))
            report(
                `${key}.hostname`,
                `${app.hostname} is not an RFC 1123 host name`,
                "use a label such as myapp, or a name under the domain",
            );
        else if (!fqdn.endsWith(`.${c.domain}`))
            report(
                `${key}.hostname`,
                `${app.hostname} is outside homelab:domain ${c.domain}`,
                `use a name under ${c.domain}, e.g. ${fqdn.split(".")[0]}.${c.domain}`,
            );
        else if (infraNames.has(fqdn.slice(0, -c.domain.length - 1))) {
            // k8s_gateway serves infrastructure hosts as manual records before it looks at routes.
            report(
                `${key}.hostname`,
                `${fqdn} is already the manual record of homelab:infrastructure host ${fqdn.split(".")[0]}`,
                "pick a name no infrastructure host has",
            );
        } else if (c.cloudflare && fqdn === tunnelHostname(c.domain)) {
            // The tunnel's own public record, on either gateway: inside the house k8s_gateway would answer it
            // with an Envoy address instead of the name the world sees.
            report(`${key}.hostname`, `${fqdn} is the tunnel's own public record`, `pick another name under ${c.domain}`);
        } else if (app.gateway === "external" && fqdn.slice(0, -c.domain.length - 1).includes(".")) {
            // Published through the tunnel: Cloudflare's edge certificate, the tunnel's `*.<domain>` rule and
            // Envoy's wildcard cover one label only.
            report(
                `${key}.hostname`,
                `${fqdn} is more than one label below ${c.domain}, which the edge certificate (*.${c.domain}) does not cover`,
                `use a single label, e.g. ${fqdn.split(".")[0]}.${c.domain}`,
            );
        }
    });
    duplicates(
        apps,
        (a) => `${a.namespace}/${a.name}`,
        (i) => `${entryKey(c, "apps", i)}.name`,
        "name",
        report,
    );
    if (c.domain !== undefined)
        duplicates(
            apps,
            (a) => (a.hostname.includes(".") ? a.hostname : `${a.hostname}.${c.domain}`),
            (i) => `${entryKey(c, "apps", i)}.hostname`,
            "hostname",
            report,
        );
    if (c.cloudflare && !isLabel(c.cloudflare.tunnelName))
        report("homelab:cloudflare.tunnelName", `${c.cloudflare.tunnelName} is not an RFC 1123 label`, labelFix);
    return problems;
}
