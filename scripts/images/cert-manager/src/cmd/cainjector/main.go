// cert-manager's cainjector: copies CA bundles into webhook configurations, APIServices and CRDs
// that ask for one (cert-manager.io/inject-ca-from and friends), which is how the webhook's
// self-managed serving CA reaches the API server. The reconcilers are the library's
// (pkg/controller/cainjector); this is the manager around them.
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/pflag"
	corev1 "k8s.io/api/core/v1"
	apiext "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	kscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	cliflag "k8s.io/component-base/cli/flag"
	logsapi "k8s.io/component-base/logs/api/v1"
	apireg "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	config "github.com/cert-manager/cert-manager/internal/apis/config/cainjector"
	configscheme "github.com/cert-manager/cert-manager/internal/apis/config/cainjector/scheme"
	"github.com/cert-manager/cert-manager/internal/apis/config/cainjector/validation"
	_ "github.com/cert-manager/cert-manager/internal/cainjector/feature" // its feature gates
	configv1alpha1 "github.com/cert-manager/cert-manager/pkg/apis/config/cainjector/v1alpha1"
	cainjectorconfigfile "github.com/cert-manager/cert-manager/pkg/cainjector/configfile"
	cmscheme "github.com/cert-manager/cert-manager/pkg/client/clientset/versioned/scheme"
	"github.com/cert-manager/cert-manager/pkg/controller/cainjector"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	"github.com/cert-manager/cert-manager/pkg/util"
	"github.com/cert-manager/cert-manager/pkg/util/configfile"

	"github.com/cert-manager/cert-manager/kafka-ha/internal/cli"
)

type cfgT = config.CAInjectorConfiguration

func defaults() (*cfgT, error) {
	return cli.DefaultConfig[cfgT](configscheme.NewSchemeAndCodecs, &configv1alpha1.CAInjectorConfiguration{})
}

// flags: the ones the upstream chart passes and a few more; the rest through --config.
func flags(fs *pflag.FlagSet, c *cfgT) {
	fs.StringVar(&c.KubeConfig, "kubeconfig", c.KubeConfig, "kubeconfig file (default: in-cluster configuration)")
	fs.StringVar(&c.Namespace, "namespace", c.Namespace, "only watch this namespace (default: all)")
	cli.LeaderElectionFlags(fs, &c.LeaderElectionConfig)
	fs.BoolVar(&c.EnableDataSourceConfig.Certificates, "enable-certificates-data-source", c.EnableDataSourceConfig.Certificates, "inject CA data from Certificates (cert-manager.io/inject-ca-from)")
	inj := &c.EnableInjectableConfig
	fs.BoolVar(&inj.MutatingWebhookConfigurations, "enable-mutatingwebhookconfigurations-injectable", inj.MutatingWebhookConfigurations, "inject into MutatingWebhookConfigurations")
	fs.BoolVar(&inj.ValidatingWebhookConfigurations, "enable-validatingwebhookconfigurations-injectable", inj.ValidatingWebhookConfigurations, "inject into ValidatingWebhookConfigurations")
	fs.BoolVar(&inj.APIServices, "enable-apiservices-injectable", inj.APIServices, "inject into APIServices")
	fs.BoolVar(&inj.CustomResourceDefinitions, "enable-customresourcedefinitions-injectable", inj.CustomResourceDefinitions, "inject into CRD conversion webhooks")
	fs.StringVar(&c.MetricsListenAddress, "metrics-listen-address", c.MetricsListenAddress, "metrics address; 0 disables")
	fs.Var(cliflag.NewMapStringBool(&c.FeatureGates), "feature-gates", "feature gates, key=value pairs")
	logf.AddFlags(&c.Logging, fs)
}

func run(ctx context.Context, c *cfgT) error {
	log := logf.FromContext(ctx)
	scheme := runtime.NewScheme()
	utilruntime.Must(kscheme.AddToScheme(scheme))
	utilruntime.Must(cmscheme.AddToScheme(scheme))
	utilruntime.Must(apiext.AddToScheme(scheme))
	utilruntime.Must(apireg.AddToScheme(scheme))

	var namespaces map[string]cache.Config
	if c.Namespace != "" {
		namespaces = map[string]cache.Config{c.Namespace: {}}
	}
	le := c.LeaderElectionConfig
	mgr, err := ctrl.NewManager(util.RestConfigWithUserAgent(ctrl.GetConfigOrDie(), "cainjector"), ctrl.Options{
		Scheme: scheme,
		Cache:  cache.Options{ReaderFailOnMissingInformer: true, DefaultNamespaces: namespaces},
		// Secrets are read on demand: caching every Secret of the cluster costs memory and a
		// large initial LIST (upstream does the same).
		Client:                        client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}},
		LeaderElection:                le.Enabled,
		LeaderElectionNamespace:       le.Namespace,
		LeaderElectionID:              "cert-manager-cainjector-leader-election",
		LeaderElectionReleaseOnCancel: true,
		LeaderElectionResourceLock:    resourcelock.LeasesResourceLock,
		LeaseDuration:                 &le.LeaseDuration,
		RenewDeadline:                 &le.RenewDeadline,
		RetryPeriod:                   &le.RetryPeriod,
		Metrics:                       metricsserver.Options{BindAddress: c.MetricsListenAddress},
	})
	if err != nil {
		return fmt.Errorf("creating the manager: %w", err)
	}

	// Injection from Certificates needs their CRD: wait for it (up to 5 minutes) rather than fail.
	if c.EnableDataSourceConfig.Certificates {
		direct, err := client.New(mgr.GetConfig(), client.Options{Scheme: mgr.GetScheme(), Mapper: mgr.GetRESTMapper()})
		if err != nil {
			return err
		}
		err = wait.PollUntilContextTimeout(ctx, time.Second, 5*time.Minute, true, func(ctx context.Context) (bool, error) {
			err := direct.Get(ctx, types.NamespacedName{Name: "certificates.cert-manager.io"}, &apiext.CustomResourceDefinition{})
			if apierrors.IsNotFound(err) {
				log.Info("waiting for the CRD certificates.cert-manager.io")
				return false, nil
			}
			return err == nil, err
		})
		if err != nil {
			return fmt.Errorf("CRD certificates.cert-manager.io: %w", err)
		}
	}

	inj := c.EnableInjectableConfig
	if err := cainjector.RegisterAllInjectors(ctx, mgr, cainjector.SetupOptions{
		Namespace:                    c.Namespace,
		EnableCertificatesDataSource: c.EnableDataSourceConfig.Certificates,
		EnabledReconcilersFor: map[string]bool{
			cainjector.MutatingWebhookConfigurationName:   inj.MutatingWebhookConfigurations,
			cainjector.ValidatingWebhookConfigurationName: inj.ValidatingWebhookConfigurations,
			cainjector.APIServiceName:                     inj.APIServices,
			cainjector.CustomResourceDefinitionName:       inj.CustomResourceDefinitions,
		},
	}); err != nil {
		return fmt.Errorf("registering the injectors: %w", err)
	}
	return mgr.Start(ctx)
}

func main() {
	cli.Main(cli.Component[cfgT]{
		Name:     "cainjector",
		Defaults: defaults,
		Flags:    flags,
		FromFile: func(load func(configfile.ConfigFile) error) (*cfgT, error) {
			f := cainjectorconfigfile.New()
			if err := load(f); err != nil {
				return nil, err
			}
			return f.Config, nil
		},
		Logging:      func(c *cfgT) *logsapi.LoggingConfiguration { return &c.Logging },
		FeatureGates: func(c *cfgT) map[string]bool { return c.FeatureGates },
		Validate:     func(c *cfgT) error { return validation.ValidateCAInjectorConfiguration(c, nil).ToAggregate() },
		Run:          run,
	})
}
