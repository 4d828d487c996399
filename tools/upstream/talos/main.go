// Talos' own config code judges the machine configs the program asks for. For each node it does what the
// Talos provider does (terraform-provider-talos v0.11.0): talos_machine_configuration generates the role's
// config from a secrets bundle with the program's patches (pkg/talos/util.go, generate()), then
// talos_machine_configuration_apply applies the node's own patches on top (computeMachineConfiguration in
// talos_machine_configuration_apply_resource.go). The result is validated as `talosctl validate` does
// (cmd/talosctl/cmd/mgmt/validate.go: WithLocal), in the runtime modes given.
//
// Input (stdin): {"configs": [{"label", "generate": {...the getConfiguration invoke's args}, "patches": [...]}],
// "modes": ["cloud", ...]}. Output: one JSON line per config and mode: label, mode, errors, warnings.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/siderolabs/talos/pkg/machinery/config"
	"github.com/siderolabs/talos/pkg/machinery/config/bundle"
	"github.com/siderolabs/talos/pkg/machinery/config/configloader"
	"github.com/siderolabs/talos/pkg/machinery/config/configpatcher"
	"github.com/siderolabs/talos/pkg/machinery/config/encoder"
	"github.com/siderolabs/talos/pkg/machinery/config/generate"
	"github.com/siderolabs/talos/pkg/machinery/config/generate/secrets"
	"github.com/siderolabs/talos/pkg/machinery/config/machine"
	"github.com/siderolabs/talos/pkg/machinery/config/validation"
	"github.com/siderolabs/talos/pkg/machinery/constants"
	"github.com/siderolabs/talos/pkg/machinery/gendata"
)

// The talos_machine_configuration data source's arguments, as the program passes them (plan.json invokes).
type generateArgs struct {
	ClusterName       string   `json:"clusterName"`
	ClusterEndpoint   string   `json:"clusterEndpoint"`
	MachineType       string   `json:"machineType"`
	TalosVersion      string   `json:"talosVersion"`
	KubernetesVersion string   `json:"kubernetesVersion"`
	ConfigPatches     []string `json:"configPatches"`
	Docs              bool     `json:"docs"`
	Examples          bool     `json:"examples"`
}

type nodeConfig struct {
	Label    string       `json:"label"`
	Generate generateArgs `json:"generate"`
	// The ConfigurationApply's configPatches, applied in order on the generated config.
	Patches []string `json:"patches"`
}

type input struct {
	Configs []nodeConfig `json:"configs"`
	Modes   []string     `json:"modes"`
}

type verdict struct {
	Label    string   `json:"label"`
	Mode     string   `json:"mode"`
	Errors   []string `json:"errors"`
	Warnings []string `json:"warnings"`
	// The validated config (YAML) when asked for with --print-config, for a person reading a refusal.
	Config string `json:"config,omitempty"`
}

func main() {
	printConfig := len(os.Args) > 1 && os.Args[1] == "--print-config"
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintf(os.Stderr, "talos judge: reading the input: %v\n", err)
		os.Exit(2)
	}
	// One secrets bundle for the cluster, made as talos_machine_secrets makes it (NewBundle with a fixed clock,
	// the provider's machinery contract): the program's own bundle is a Pulumi secret the offline run never has.
	bundleSecrets, err := secrets.NewBundle(secrets.NewFixedClock(time.Now()), config.TalosVersionCurrent)
	if err != nil {
		fmt.Fprintf(os.Stderr, "talos judge: generating secrets: %v\n", err)
		os.Exit(2)
	}
	out := json.NewEncoder(os.Stdout)
	for _, node := range in.Configs {
		rendered, err := render(node, bundleSecrets)
		for _, mode := range in.Modes {
			v := verdict{Label: node.Label, Mode: mode, Errors: []string{}, Warnings: []string{}}
			if err != nil {
				v.Errors = append(v.Errors, err.Error())
			} else {
				v.Warnings, v.Errors = validate(rendered, mode)
				if printConfig {
					v.Config = string(rendered)
				}
			}
			if err := out.Encode(v); err != nil {
				os.Exit(2)
			}
		}
	}
}

// render: the data source's generate(), then the apply resource's patches.
func render(node nodeConfig, bundleSecrets *secrets.Bundle) ([]byte, error) {
	g := node.Generate
	machineType, err := machine.ParseType(g.MachineType)
	if err != nil {
		return nil, fmt.Errorf("machineType: %w", err)
	}
	versionContract, err := config.ParseContractFromVersion(g.TalosVersion)
	if err != nil {
		return nil, fmt.Errorf("talosVersion: %w", err)
	}
	genOptions := []generate.Option{
		generate.WithClusterDiscovery(true),
		generate.WithDNSDomain(constants.DefaultDNSDomain),
		generate.WithInstallDisk("/dev/sda"),
		generate.WithInstallImage(fmt.Sprintf("%s/%s/installer:%s", gendata.ImagesRegistry, gendata.ImagesUsername, gendata.VersionTag)),
		generate.WithSecretsBundle(bundleSecrets),
		generate.WithVersionContract(versionContract),
	}
	patches, err := configpatcher.LoadPatches(g.ConfigPatches)
	if err != nil {
		return nil, fmt.Errorf("getConfiguration configPatches: error parsing config patch: %w", err)
	}
	opts := []bundle.Option{
		bundle.WithInputOptions(&bundle.InputOptions{
			ClusterName: g.ClusterName,
			Endpoint:    g.ClusterEndpoint,
			KubeVersion: strings.TrimPrefix(g.KubernetesVersion, "v"),
			GenOptions:  genOptions,
		}),
		bundle.WithVerbose(false),
	}
	if machineType == machine.TypeControlPlane {
		opts = append(opts, bundle.WithPatchControlPlane(patches))
	} else {
		opts = append(opts, bundle.WithPatchWorker(patches))
	}
	generated, err := bundle.NewBundle(opts...)
	if err != nil {
		return nil, fmt.Errorf("getConfiguration: %w", err)
	}
	comments := encoder.CommentsDisabled
	if g.Docs {
		comments |= encoder.CommentsDocs
	}
	if g.Examples {
		comments |= encoder.CommentsExamples
	}
	machineConfig, err := generated.Serialize(comments, machineType)
	if err != nil {
		return nil, fmt.Errorf("getConfiguration: %w", err)
	}

	nodePatches, err := configpatcher.LoadPatches(node.Patches)
	if err != nil {
		return nil, fmt.Errorf("ConfigurationApply configPatches: error loading config patches: %w", err)
	}
	applied, err := configpatcher.Apply(configpatcher.WithBytes(machineConfig), nodePatches)
	if err != nil {
		return nil, fmt.Errorf("ConfigurationApply configPatches: error applying config patches: %w", err)
	}
	return applied.Bytes()
}

// runtimeMode is machined's runtime.Mode as validation sees it (internal/app/machined/pkg/runtime/mode.go,
// which an outside module cannot import): only metal requires an install, only container runs in one.
type runtimeMode string

func (m runtimeMode) String() string        { return string(m) }
func (m runtimeMode) RequiresInstall() bool { return m == "metal" }
func (m runtimeMode) InContainer() bool     { return m == "container" }

// validate loads the config as a node loads it (configloader, strict decoding) and validates it as
// `talosctl validate --mode <mode>` does.
func validate(rendered []byte, mode string) (warnings, errs []string) {
	switch mode {
	case "cloud", "metal", "container":
	default:
		return nil, []string{fmt.Sprintf("unknown runtime mode %q", mode)}
	}
	cfg, err := configloader.NewFromBytes(rendered)
	if err != nil {
		return nil, splitErrors(err)
	}
	warnings, err = cfg.Validate(runtimeMode(mode), validation.WithLocal())
	if warnings == nil {
		warnings = []string{}
	}
	if err != nil {
		return warnings, splitErrors(err)
	}
	return warnings, []string{}
}

// splitErrors lists each error of a multierror on its own (Talos joins them with go-multierror or errors.Join).
func splitErrors(err error) []string {
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		var out []string
		for _, e := range joined.Unwrap() {
			out = append(out, splitErrors(e)...)
		}
		return out
	}
	var wrapped interface{ WrappedErrors() []error }
	if errors.As(err, &wrapped) {
		var out []string
		for _, e := range wrapped.WrappedErrors() {
			out = append(out, e.Error())
		}
		return out
	}
	return []string{err.Error()}
}
