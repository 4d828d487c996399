import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";
// Input shapes of the schema's object types. As in generated SDKs, `Foo` is the plain shape taken
// by the Promise form of an invoke and `FooArgs` the pulumi.Input shape taken by resources and the
// Output form of invokes. Names are the schema type names, capitalised, in their module namespace.
export declare namespace client {
    interface GetConfigurationClientConfiguration {
        caCertificate: string;
        clientCertificate: string;
        clientKey: string;
    }
    interface GetConfigurationClientConfigurationArgs {
        caCertificate: pulumi.Input<string>;
        clientCertificate: pulumi.Input<string>;
        clientKey: pulumi.Input<string>;
    }
}
export declare namespace cluster {
    interface GetHealthClientConfiguration {
        caCertificate: string;
        clientCertificate: string;
        clientKey: string;
    }
    interface GetHealthClientConfigurationArgs {
        caCertificate: pulumi.Input<string>;
        clientCertificate: pulumi.Input<string>;
        clientKey: pulumi.Input<string>;
    }
    interface GetHealthTimeouts {
        /** A Go duration, e.g. `10m`, bounding the wait for health. */
        read?: string;
    }
    interface GetHealthTimeoutsArgs {
        /** A Go duration, e.g. `10m`, bounding the wait for health. */
        read?: pulumi.Input<string>;
    }
    interface KubeconfigClientConfigurationArgs {
        caCertificate: pulumi.Input<string>;
        clientCertificate: pulumi.Input<string>;
        clientKey: pulumi.Input<string>;
    }
    interface KubeconfigKubernetesClientConfigurationArgs {
        caCertificate?: pulumi.Input<string>;
        clientCertificate?: pulumi.Input<string>;
        clientKey?: pulumi.Input<string>;
        host?: pulumi.Input<string>;
    }
    interface KubeconfigTimeoutsArgs {
        create?: pulumi.Input<string>;
        update?: pulumi.Input<string>;
    }
}
export declare namespace machine {
    interface BootstrapClientConfigurationWoArgs {
        caCertificate: pulumi.Input<string>;
        clientCertificate: pulumi.Input<string>;
        clientKey: pulumi.Input<string>;
    }
    interface BootstrapTimeoutsArgs {
        create?: pulumi.Input<string>;
    }
    /** A certificate and its private key, PEM, base64-encoded. */
    interface Certificate {
        cert: string;
        key: string;
    }
    interface CertificateArgs {
        cert: pulumi.Input<string>;
        key: pulumi.Input<string>;
    }
    interface Certificates {
        etcd: inputs.machine.Certificate;
        k8s: inputs.machine.Certificate;
        k8sAggregator: inputs.machine.Certificate;
        k8sServiceaccount: inputs.machine.Key;
        os: inputs.machine.Certificate;
    }
    interface CertificatesArgs {
        etcd: pulumi.Input<inputs.machine.CertificateArgs>;
        k8s: pulumi.Input<inputs.machine.CertificateArgs>;
        k8sAggregator: pulumi.Input<inputs.machine.CertificateArgs>;
        k8sServiceaccount: pulumi.Input<inputs.machine.KeyArgs>;
        os: pulumi.Input<inputs.machine.CertificateArgs>;
    }
    /** The talosctl client configuration: the OS CA and an admin client certificate and key. */
    interface ClientConfigurationArgs {
        caCertificate: pulumi.Input<string>;
        clientCertificate: pulumi.Input<string>;
        clientKey: pulumi.Input<string>;
    }
    interface Cluster {
        id: string;
        secret: string;
    }
    interface ClusterArgs {
        id: pulumi.Input<string>;
        secret: pulumi.Input<string>;
    }
    interface ConfigurationApplyClientConfigurationWoArgs {
        caCertificate: pulumi.Input<string>;
        clientCertificate: pulumi.Input<string>;
        clientKey: pulumi.Input<string>;
    }
    /** Destroy behaviour; nothing happens unless reset is true. */
    interface ConfigurationApplyOnDestroyArgs {
        graceful?: pulumi.Input<boolean>;
        reboot?: pulumi.Input<boolean>;
        reset?: pulumi.Input<boolean>;
    }
    interface Key {
        key: string;
    }
    interface KeyArgs {
        key: pulumi.Input<string>;
    }
    interface KubernetesSecrets {
        aescbcEncryptionSecret?: string;
        bootstrapToken: string;
        secretboxEncryptionSecret: string;
    }
    interface KubernetesSecretsArgs {
        aescbcEncryptionSecret?: pulumi.Input<string>;
        bootstrapToken: pulumi.Input<string>;
        secretboxEncryptionSecret: pulumi.Input<string>;
    }
    /** Everything a cluster's machine configurations are rendered from (Secrets.machineSecrets). */
    interface MachineSecrets {
        certs: inputs.machine.Certificates;
        cluster: inputs.machine.Cluster;
        secrets: inputs.machine.KubernetesSecrets;
        trustdinfo: inputs.machine.TrustdInfo;
    }
    interface MachineSecretsArgs {
        certs: pulumi.Input<inputs.machine.CertificatesArgs>;
        cluster: pulumi.Input<inputs.machine.ClusterArgs>;
        secrets: pulumi.Input<inputs.machine.KubernetesSecretsArgs>;
        trustdinfo: pulumi.Input<inputs.machine.TrustdInfoArgs>;
    }
    interface TimeoutArgs {
        create?: pulumi.Input<string>;
        delete?: pulumi.Input<string>;
        update?: pulumi.Input<string>;
    }
    interface TrustdInfo {
        token: string;
    }
    interface TrustdInfoArgs {
        token: pulumi.Input<string>;
    }
}
