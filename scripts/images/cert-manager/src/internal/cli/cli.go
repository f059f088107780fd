// Package cli is what the three binaries share: a configuration that starts from the library's
// defaults, an optional --config file (the chart's `config:` values) that replaces them, and
// command-line flags that override both, then logging and feature gates applied, and a Run with
// a context that ends on SIGTERM. Also the pieces two of them share: DefaultConfig and
// LeaderElectionFlags (controller and cainjector).
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"

	"github.com/cert-manager/cert-manager/internal/apis/config/shared"
	cmdutil "github.com/cert-manager/cert-manager/internal/cmd/util"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	"github.com/cert-manager/cert-manager/pkg/util"
	"github.com/cert-manager/cert-manager/pkg/util/configfile"
	utilfeature "github.com/cert-manager/cert-manager/pkg/util/feature"
	logsapi "k8s.io/component-base/logs/api/v1"
)

// Component describes one binary.
type Component[T any] struct {
	Name string
	// Defaults: the library's defaulted configuration.
	Defaults func() (*T, error)
	// Flags binds the command-line flags to cfg (current values are the defaults shown).
	Flags func(fs *pflag.FlagSet, cfg *T)
	// FromFile reads --config with one of the library's decoders (pkg/*/configfile), through load.
	FromFile func(load func(configfile.ConfigFile) error) (*T, error)
	// Logging, FeatureGates: parts of cfg applied before Run.
	Logging      func(cfg *T) *logsapi.LoggingConfiguration
	FeatureGates func(cfg *T) map[string]bool
	Validate     func(cfg *T) error
	Run          func(ctx context.Context, cfg *T) error
}

// Main parses os.Args and runs the component; it does not return.
func Main[T any](c Component[T]) {
	ctx, exit := cmdutil.SetupExitHandler(context.Background(), cmdutil.GracefulShutdown)
	defer exit()
	logf.InitLogs()
	defer logf.FlushLogs()
	ctx = logf.NewContext(ctx, logf.Log, c.Name)
	if err := run(ctx, c, os.Args[1:]); err != nil {
		logf.Log.Error(err, "exiting", "component", c.Name)
		cmdutil.SetExitCode(err)
	}
}

func run[T any](ctx context.Context, c Component[T], args []string) error {
	cfg, err := c.Defaults()
	if err != nil {
		return fmt.Errorf("default configuration: %w", err)
	}
	var configPath string
	parse := func() error {
		fs := pflag.NewFlagSet(c.Name, pflag.ContinueOnError)
		fs.StringVar(&configPath, "config", configPath, "path to a configuration file (flags given as well override its values)")
		c.Flags(fs, cfg)
		return fs.Parse(args)
	}
	if err := parse(); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		return err
	}
	if configPath != "" {
		abs, err := filepath.Abs(configPath)
		if err != nil {
			return err
		}
		loader, err := configfile.NewConfigurationFSLoader(nil, abs)
		if err != nil {
			return fmt.Errorf("config file %s: %w", configPath, err)
		}
		if cfg, err = c.FromFile(loader.Load); err != nil {
			return fmt.Errorf("config file %s: %w", configPath, err)
		}
		// Parsed again on the file's values, so that flags win over the file.
		if err := parse(); err != nil {
			return err
		}
	}
	if err := utilfeature.DefaultMutableFeatureGate.SetFromMap(c.FeatureGates(cfg)); err != nil {
		return fmt.Errorf("feature gates: %w", err)
	}
	if err := c.Validate(cfg); err != nil {
		return fmt.Errorf("invalid configuration: %w", err)
	}
	if err := logf.ValidateAndApply(c.Logging(cfg)); err != nil {
		return fmt.Errorf("logging flags: %w", err)
	}
	v := util.VersionInfo()
	logf.FromContext(ctx).Info("starting cert-manager "+c.Name, "version", v.GitVersion, "go_version", v.GoVersion, "build", "kafka-ha")
	return c.Run(ctx, cfg)
}

// DefaultConfig is the library's default configuration as the internal type T: versioned (an
// empty v1alpha1 configuration) defaulted by the scheme that newScheme builds, then converted to
// T. The library does these steps itself only for the webhook (options.NewWebhookConfiguration);
// for the controller and cainjector they live in upstream's cmd modules, which are not served.
func DefaultConfig[T any](newScheme func(...serializer.CodecFactoryOptionsMutator) (*runtime.Scheme, *serializer.CodecFactory, error), versioned runtime.Object) (*T, error) {
	scheme, _, err := newScheme()
	if err != nil {
		return nil, err
	}
	scheme.Default(versioned)
	c := new(T)
	return c, scheme.Convert(versioned, c, nil)
}

// LeaderElectionFlags binds upstream's leader-election flags, the same in controller and
// cainjector (the Lease names differ: each binary's Run sets its own).
func LeaderElectionFlags(fs *pflag.FlagSet, le *shared.LeaderElectionConfig) {
	fs.BoolVar(&le.Enabled, "leader-elect", le.Enabled, "run leader election")
	fs.StringVar(&le.Namespace, "leader-election-namespace", le.Namespace, "namespace of the leader election Lease")
	fs.DurationVar(&le.LeaseDuration, "leader-election-lease-duration", le.LeaseDuration, "leader election lease duration")
	fs.DurationVar(&le.RenewDeadline, "leader-election-renew-deadline", le.RenewDeadline, "leader election renew deadline")
	fs.DurationVar(&le.RetryPeriod, "leader-election-retry-period", le.RetryPeriod, "leader election retry period")
}
