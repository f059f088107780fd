// cert-manager's webhook: validation of cert-manager resources and a serving certificate it
// manages itself (--dynamic-serving-ca-secret-*). Flags and configuration file are the library's
// (pkg/webhook/options), the same the upstream binary takes.
package main

import (
	"context"

	"github.com/spf13/pflag"
	logsapi "k8s.io/component-base/logs/api/v1"

	config "github.com/cert-manager/cert-manager/internal/apis/config/webhook"
	"github.com/cert-manager/cert-manager/internal/apis/config/webhook/validation"
	cmwebhook "github.com/cert-manager/cert-manager/internal/webhook"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	"github.com/cert-manager/cert-manager/pkg/util/configfile"
	webhookconfigfile "github.com/cert-manager/cert-manager/pkg/webhook/configfile"
	"github.com/cert-manager/cert-manager/pkg/webhook/options"

	"github.com/cert-manager/cert-manager/kafka-ha/internal/cli"
)

func main() {
	cli.Main(cli.Component[config.WebhookConfiguration]{
		Name:     "webhook",
		Defaults: options.NewWebhookConfiguration,
		Flags:    func(fs *pflag.FlagSet, c *config.WebhookConfiguration) { options.AddConfigFlags(fs, c) },
		FromFile: func(load func(configfile.ConfigFile) error) (*config.WebhookConfiguration, error) {
			f := webhookconfigfile.New()
			if err := load(f); err != nil {
				return nil, err
			}
			return f.Config, nil
		},
		Logging:      func(c *config.WebhookConfiguration) *logsapi.LoggingConfiguration { return &c.Logging },
		FeatureGates: func(c *config.WebhookConfiguration) map[string]bool { return c.FeatureGates },
		Validate: func(c *config.WebhookConfiguration) error {
			return validation.ValidateWebhookConfiguration(c, nil).ToAggregate()
		},
		Run: func(ctx context.Context, c *config.WebhookConfiguration) error {
			srv, err := cmwebhook.NewCertManagerWebhookServer(logf.FromContext(ctx), *c)
			if err != nil {
				return err
			}
			return srv.Run(ctx)
		},
	})
}
