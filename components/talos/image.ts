import * as pulumi from "@pulumi/pulumi";
import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as talos from "@pulumiverse/talos";
import * as versions from "../versions";
import { diskImageFileName, diskImageUrl, schematicYaml, TalosImagePlan } from "./plan/image";

export interface TalosImageArgs {
    /** talosImagePlan(spec): extensions, the hosts in use and their image datastore. */
    plan: TalosImagePlan;
}

/** The Talos nocloud image for the configured version and extensions, downloaded onto every Proxmox host in use. */
export class TalosImage extends pulumi.ComponentResource {
    public readonly schematicId: pulumi.Output<string>;
    /** The installer image for machine.install.image (same schematic, so upgrades keep the extensions). */
    public readonly installerImage: pulumi.Output<string>;
    /** File id per Proxmox host name, for the VMs' boot disks. */
    public readonly fileIds: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: TalosImageArgs, opts?: pulumi.ComponentResourceOptions) {
        // The type token keeps the area it was created under: it is part of every child's URN, so a new token would
        // replace the schematic and every host's image in existing stacks.
        super("homelab:proxmox:TalosImage", name, {}, opts);
        // A new schematic is a new resource: the provider would update it in place with a new id, and the
        // engine keeps a resource's id on update (pulumi/pulumi#3729), so the image would keep the old one.
        const schematic = new talos.imagefactory.Schematic(
            `${name}-schematic`,
            { schematic: schematicYaml(args.plan.extensions) },
            { parent: this, replaceOnChanges: ["schematic"] },
        );
        this.schematicId = schematic.id;
        const urls = talos.imagefactory.getUrlsOutput(
            { schematicId: schematic.id, talosVersion: args.plan.talosVersion, platform: "nocloud", architecture: "amd64" },
            { parent: this },
        );
        this.installerImage = urls.urls.installer;

        const files: Record<string, pulumi.Output<string>> = {};
        for (const host of args.plan.hosts) {
            files[host.name] = new proxmox.download.File(
                `${name}-${host.name}`,
                {
                    nodeName: host.name,
                    datastoreId: args.plan.imageDatastore,
                    contentType: "iso",
                    url: schematic.id.apply((id) => diskImageUrl(versions.talos.factoryUrl, id, args.plan.talosVersion)),
                    fileName: schematic.id.apply((id) => diskImageFileName(id, args.plan.talosVersion)),
                    decompressionAlgorithm: "gz",
                    // The default (true) re-downloads whenever the size at the URL differs; the image for a
                    // schematic and version never changes, and a new one gets a new name.
                    overwrite: false,
                    // A file of this name left by a lost state or a half-failed create would otherwise stop every
                    // later run with "file already exists". Its name holds the schematic and version, so the
                    // file found is the same image: replacing it loses nothing (VMs hold imported copies).
                    overwriteUnmanaged: true,
                    uploadTimeout: 1800,
                },
                { parent: this },
            ).id;
        }
        this.fileIds = files;
        this.registerOutputs({ schematicId: this.schematicId, installerImage: this.installerImage });
    }
}
