import * as outputs from "../types/output";
// Output shapes of the schema's object types, named like the schema types (capitalised) in their
// module namespace, as generated SDKs do.
export declare namespace client {
    interface GetConfigurationClientConfiguration {
        caCertificate: string;
        clientCertificate: string;
        clientKey: string;
    }
}
export declare namespace cluster {
    interface GetHealthClientConfiguration {
        caCertificate: string;
        clientCertificate: string;
        clientKey: string;
    }
    interface GetHealthTimeouts {
        read?: string;
    }
    interface KubeconfigClientConfiguration {
        caCertificate: string;
        clientCertificate: string;
        clientKey: string;
    }
    /** The admin kubeconfig split into its parts. */
    interface KubeconfigKubernetesClientConfiguration {
        caCertificate?: string;
        clientCertificate?: string;
        clientKey?: string;
        host?: string;
    }
    interface KubeconfigTimeouts {
        create?: string;
        update?: string;
    }
}
export declare namespace imagefactory {
    /** Download URLs for one schematic, Talos version, platform and architecture. */
    interface GetUrlsUrls {
        diskImage: string;
        diskImageSecureboot: string;
        initramfs: string;
        installer: string;
        installerSecureboot: string;
        iso: string;
        isoSecureboot: string;
        kernel: string;
        kernelCommandLine: string;
        pxe: string;
        uki: string;
    }
}
export declare namespace machine {
    interface BootstrapClientConfigurationWo {
        caCertificate: string;
        clientCertificate: string;
        clientKey: string;
    }
    interface BootstrapTimeouts {
        create?: string;
    }
    interface Certificate {
        cert: string;
        key: string;
    }
    interface Certificates {
        etcd: outputs.machine.Certificate;
        k8s: outputs.machine.Certificate;
        k8sAggregator: outputs.machine.Certificate;
        k8sServiceaccount: outputs.machine.Key;
        os: outputs.machine.Certificate;
    }
    interface ClientConfiguration {
        caCertificate: string;
        clientCertificate: string;
        clientKey: string;
    }
    interface Cluster {
        id: string;
        secret: string;
    }
    interface ConfigurationApplyClientConfigurationWo {
        caCertificate: string;
        clientCertificate: string;
        clientKey: string;
    }
    interface ConfigurationApplyOnDestroy {
        graceful?: boolean;
        reboot?: boolean;
        reset?: boolean;
    }
    interface Key {
        key: string;
    }
    interface KubernetesSecrets {
        aescbcEncryptionSecret?: string;
        bootstrapToken: string;
        secretboxEncryptionSecret: string;
    }
    interface MachineSecrets {
        certs: outputs.machine.Certificates;
        cluster: outputs.machine.Cluster;
        secrets: outputs.machine.KubernetesSecrets;
        trustdinfo: outputs.machine.TrustdInfo;
    }
    interface Timeout {
        create?: string;
        delete?: string;
        update?: string;
    }
    interface TrustdInfo {
        token: string;
    }
}
