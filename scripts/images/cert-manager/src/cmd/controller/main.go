// cert-manager's controller: Issuers, Certificates, CertificateRequests, ACME orders and
// challenges. The controllers and their registry are the library's (pkg/controller and the
// packages imported for their registration below); this is the process around them: flags,
// metrics and health endpoints, leader election, then every enabled controller and the shared
// informers.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/sync/errgroup"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	cliflag "k8s.io/component-base/cli/flag"
	logsapi "k8s.io/component-base/logs/api/v1"

	config "github.com/cert-manager/cert-manager/internal/apis/config/controller"
	configscheme "github.com/cert-manager/cert-manager/internal/apis/config/controller/scheme"
	defaults "github.com/cert-manager/cert-manager/internal/apis/config/controller/v1alpha1"
	"github.com/cert-manager/cert-manager/internal/apis/config/controller/validation"
	"github.com/cert-manager/cert-manager/internal/controller/feature"
	"github.com/cert-manager/cert-manager/internal/pem"
	configv1alpha1 "github.com/cert-manager/cert-manager/pkg/apis/config/controller/v1alpha1"
	"github.com/cert-manager/cert-manager/pkg/controller"
	gateways "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/gateways"
	listenersets "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/listenerset"
	"github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	controllerconfigfile "github.com/cert-manager/cert-manager/pkg/controller/configfile"
	"github.com/cert-manager/cert-manager/pkg/healthz"
	dnsutil "github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/util"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	"github.com/cert-manager/cert-manager/pkg/server"
	"github.com/cert-manager/cert-manager/pkg/util/configfile"
	utilfeature "github.com/cert-manager/cert-manager/pkg/util/feature"

	"github.com/cert-manager/cert-manager/kafka-ha/internal/cli"

	// Controllers and issuer types register themselves when imported.
	_ "github.com/cert-manager/cert-manager/pkg/controller/acmechallenges"
	_ "github.com/cert-manager/cert-manager/pkg/controller/acmeorders"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/ingresses"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/acme"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/vault"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/venafi"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/metrics"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificatesigningrequests/acme"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificatesigningrequests/ca"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificatesigningrequests/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificatesigningrequests/vault"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificatesigningrequests/venafi"
	_ "github.com/cert-manager/cert-manager/pkg/controller/issuers"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/acme"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/vault"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/venafi"
)

type cfgT = config.ControllerConfiguration

func defaultConfig() (*cfgT, error) {
	return cli.DefaultConfig[cfgT](configscheme.NewSchemeAndCodecs, &configv1alpha1.ControllerConfiguration{})
}

// flags: those the upstream chart passes and the common ones; everything else through --config
// (a ControllerConfiguration, the chart's `config:` values).
func flags(fs *pflag.FlagSet, c *cfgT) {
	fs.StringVar(&c.KubeConfig, "kubeconfig", c.KubeConfig, "kubeconfig file (default: in-cluster configuration)")
	fs.Float32Var(&c.KubernetesAPIQPS, "kube-api-qps", c.KubernetesAPIQPS, "API requests per second")
	fs.IntVar(&c.KubernetesAPIBurst, "kube-api-burst", c.KubernetesAPIBurst, "API request burst")
	fs.StringVar(&c.Namespace, "namespace", c.Namespace, "only watch this namespace (default: all)")
	fs.StringVar(&c.ClusterResourceNamespace, "cluster-resource-namespace", c.ClusterResourceNamespace, "namespace of the Secrets that ClusterIssuers refer to")
	cli.LeaderElectionFlags(fs, &c.LeaderElectionConfig.LeaderElectionConfig)
	fs.StringSliceVar(&c.Controllers, "controllers", c.Controllers, "controllers to run: '*' (the default set), names, -name to disable one")
	fs.BoolVar(&c.IssuerAmbientCredentials, "issuer-ambient-credentials", c.IssuerAmbientCredentials, "let Issuers use ambient credentials")
	fs.BoolVar(&c.ClusterIssuerAmbientCredentials, "cluster-issuer-ambient-credentials", c.ClusterIssuerAmbientCredentials, "let ClusterIssuers use ambient credentials")
	fs.BoolVar(&c.EnableCertificateOwnerRef, "enable-certificate-owner-ref", c.EnableCertificateOwnerRef, "make a Certificate the owner of its Secret")
	fs.StringSliceVar(&c.CopiedAnnotationPrefixes, "copied-annotation-prefixes", c.CopiedAnnotationPrefixes, "annotations copied from Certificates to CertificateRequests")
	fs.IntVar(&c.NumberOfConcurrentWorkers, "concurrent-workers", c.NumberOfConcurrentWorkers, "workers per controller")
	fs.IntVar(&c.MaxConcurrentChallenges, "max-concurrent-challenges", c.MaxConcurrentChallenges, "ACME challenges processed at once")
	fs.StringVar(&c.MetricsListenAddress, "metrics-listen-address", c.MetricsListenAddress, "metrics address")
	fs.StringVar(&c.HealthzListenAddress, "healthz-listen-address", c.HealthzListenAddress, "health endpoint address (/livez)")
	fs.StringVar(&c.ACMEHTTP01Config.SolverImage, "acme-http01-solver-image", c.ACMEHTTP01Config.SolverImage, "image of the ACME HTTP-01 solver pods")
	fs.StringSliceVar(&c.ACMEDNS01Config.RecursiveNameservers, "dns01-recursive-nameservers", c.ACMEDNS01Config.RecursiveNameservers, "nameservers for DNS-01 self checks")
	fs.BoolVar(&c.ACMEDNS01Config.RecursiveNameserversOnly, "dns01-recursive-nameservers-only", c.ACMEDNS01Config.RecursiveNameserversOnly, "use only the recursive nameservers for DNS-01 checks")
	shim := &c.IngressShimConfig
	fs.StringVar(&shim.DefaultIssuerName, "default-issuer-name", shim.DefaultIssuerName, "issuer for annotated Ingresses without one")
	fs.StringVar(&shim.DefaultIssuerKind, "default-issuer-kind", shim.DefaultIssuerKind, "kind of that issuer")
	fs.StringVar(&shim.DefaultIssuerGroup, "default-issuer-group", shim.DefaultIssuerGroup, "group of that issuer")
	fs.BoolVar(&c.EnableGatewayAPI, "enable-gateway-api", c.EnableGatewayAPI, "run the Gateway API certificate shim")
	fs.Var(cliflag.NewMapStringBool(&c.FeatureGates), "feature-gates", "feature gates, key=value pairs")
	logf.AddFlags(&c.Logging, fs)
}

// enabledControllers resolves --controllers ('*', names, -name) and the feature gates into the
// set of controllers to run.
func enabledControllers(c *cfgT) sets.Set[string] {
	on, off := sets.New[string](), sets.New[string]()
	for _, name := range c.Controllers {
		switch {
		case name == "*":
			on.Insert(defaults.DefaultEnabledControllers...)
		case strings.HasPrefix(name, "-"):
			off.Insert(strings.TrimPrefix(name, "-"))
		default:
			on.Insert(name)
		}
	}
	if on.Len() == 0 && off.Len() > 0 {
		on.Insert(defaults.DefaultEnabledControllers...)
	}
	gates := utilfeature.DefaultFeatureGate
	if gates.Enabled(feature.ExperimentalCertificateSigningRequestControllers) {
		on.Insert(defaults.ExperimentalCertificateSigningRequestControllers...)
	}
	if gates.Enabled(feature.ExperimentalGatewayAPISupport) && c.EnableGatewayAPI {
		on.Insert(gateways.ControllerName)
		if gates.Enabled(feature.ListenerSets) && c.EnableGatewayAPIListenerSet {
			on.Insert(listenersets.ControllerName)
		}
	}
	if c.Namespace != "" {
		on.Delete(defaults.ClusterScopedControllers...)
	}
	return on.Difference(off)
}

func contextOptions(c *cfgT) (controller.ContextOptions, error) {
	h := c.ACMEHTTP01Config
	var q [4]resource.Quantity
	for i, s := range []string{h.SolverResourceRequestCPU, h.SolverResourceRequestMemory, h.SolverResourceLimitsCPU, h.SolverResourceLimitsMemory} {
		v, err := resource.ParseQuantity(s)
		if err != nil {
			return controller.ContextOptions{}, fmt.Errorf("ACME HTTP-01 solver resources %q: %w", s, err)
		}
		q[i] = v
	}
	nameservers := c.ACMEDNS01Config.RecursiveNameservers
	if len(nameservers) == 0 {
		nameservers = dnsutil.RecursiveNameservers
	}
	return controller.ContextOptions{
		Kubeconfig:         c.KubeConfig,
		KubernetesAPIQPS:   c.KubernetesAPIQPS,
		KubernetesAPIBurst: c.KubernetesAPIBurst,
		APIServerHost:      c.APIServerHost, //nolint:staticcheck // still honoured by the library
		Namespace:          c.Namespace,
		ACMEOptions: controller.ACMEOptions{
			HTTP01SolverImage:                 h.SolverImage,
			HTTP01SolverResourceRequestCPU:    q[0],
			HTTP01SolverResourceRequestMemory: q[1],
			HTTP01SolverResourceLimitsCPU:     q[2],
			HTTP01SolverResourceLimitsMemory:  q[3],
			ACMEHTTP01SolverRunAsNonRoot:      h.SolverRunAsNonRoot,
			HTTP01SolverNameservers:           h.SolverNameservers,
			DNS01Nameservers:                  nameservers,
			DNS01CheckRetryPeriod:             c.ACMEDNS01Config.CheckRetryPeriod,
			DNS01CheckAuthoritative:           !c.ACMEDNS01Config.RecursiveNameserversOnly,
		},
		SchedulerOptions: controller.SchedulerOptions{MaxConcurrentChallenges: c.MaxConcurrentChallenges},
		IssuerOptions: controller.IssuerOptions{
			ClusterResourceNamespace:        c.ClusterResourceNamespace,
			ClusterIssuerAmbientCredentials: c.ClusterIssuerAmbientCredentials,
			IssuerAmbientCredentials:        c.IssuerAmbientCredentials,
		},
		IngressShimOptions: controller.IngressShimOptions{
			DefaultIssuerName:                 c.IngressShimConfig.DefaultIssuerName,
			DefaultIssuerKind:                 c.IngressShimConfig.DefaultIssuerKind,
			DefaultIssuerGroup:                c.IngressShimConfig.DefaultIssuerGroup,
			DefaultAutoCertificateAnnotations: c.IngressShimConfig.DefaultAutoCertificateAnnotations,
			ExtraCertificateAnnotations:       c.IngressShimConfig.ExtraCertificateAnnotations,
		},
		CertificateOptions: controller.CertificateOptions{
			EnableOwnerRef:                           c.EnableCertificateOwnerRef,
			CopiedAnnotationPrefixes:                 c.CopiedAnnotationPrefixes,
			CertificateRequestMinimumBackoffDuration: c.CertificateRequestMinimumBackoffDuration,
		},
		ConfigOptions: controller.ConfigOptions{
			EnableGatewayAPI:            c.EnableGatewayAPI,
			EnableGatewayAPIListenerSet: c.EnableGatewayAPIListenerSet,
		},
	}, nil
}

func run(parent context.Context, c *cfgT) error {
	parent, cancel := context.WithCancel(parent)
	defer cancel()
	log := logf.FromContext(parent)
	g, ctx := errgroup.WithContext(parent)

	l := c.PEMSizeLimitsConfig
	pem.SetGlobalSizeLimits(pem.NewSizeLimitsFromConfig(l.MaxCertificateSize, l.MaxPrivateKeySize, l.MaxChainLength, l.MaxBundleSize))

	opts, err := contextOptions(c)
	if err != nil {
		return err
	}
	factory, err := controller.NewContextFactory(ctx, opts)
	if err != nil {
		return err
	}
	cctx, err := factory.Build()
	if err != nil {
		return err
	}
	enabled := enabledControllers(c)
	log.Info("enabled controllers", "controllers", sets.List(enabled))

	// Metrics (plain HTTP; the TLS options of upstream are not wired here).
	cm := cctx.SharedInformerFactory.Certmanager().V1()
	cctx.Metrics.SetupACMECollector(cctx.SharedInformerFactory.Acme().V1().Challenges().Lister())
	cctx.Metrics.SetupCertificateCollector(cm.Certificates().Lister())
	cctx.Metrics.SetupIssuerCollector(cm.Issuers().Lister())
	if enabled.Has(clusterissuers.ControllerName) {
		cctx.Metrics.SetupClusterIssuerCollector(cm.ClusterIssuers().Lister())
	}
	metricsLn, err := server.Listen(ctx, "tcp", c.MetricsListenAddress)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", c.MetricsListenAddress, err)
	}
	metricsSrv := cctx.Metrics.NewServer(metricsLn)
	g.Go(func() error {
		if err := metricsSrv.Serve(metricsLn); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		return metricsSrv.Shutdown(stop)
	})

	// /livez: fails while leader election is stuck (the library's healthz server).
	health := healthz.NewServer(c.LeaderElectionConfig.HealthzTimeout)
	healthLn, err := server.Listen(ctx, "tcp", c.HealthzListenAddress)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", c.HealthzListenAddress, err)
	}
	g.Go(func() error { return health.Start(ctx, healthLn) })

	leading := make(chan struct{})
	if le := c.LeaderElectionConfig; le.Enabled {
		id, err := os.Hostname()
		if err != nil {
			return err
		}
		lctx, err := factory.Build("leader-election")
		if err != nil {
			return err
		}
		lock, err := resourcelock.NewWithLabels(resourcelock.LeasesResourceLock, le.Namespace, "cert-manager-controller",
			lctx.Client.CoreV1(), lctx.Client.CoordinationV1(),
			resourcelock.ResourceLockConfig{Identity: id + "-external-cert-manager-controller", EventRecorder: lctx.Recorder},
			map[string]string{"app.kubernetes.io/managed-by": "cert-manager"})
		if err != nil {
			return fmt.Errorf("leader election lock: %w", err)
		}
		lost := make(chan struct{})
		elector, err := leaderelection.NewLeaderElector(leaderelection.LeaderElectionConfig{
			Lock: lock, LeaseDuration: le.LeaseDuration, RenewDeadline: le.RenewDeadline, RetryPeriod: le.RetryPeriod,
			ReleaseOnCancel: true, WatchDog: health.LeaderHealthzAdaptor,
			Callbacks: leaderelection.LeaderCallbacks{
				OnStartedLeading: func(context.Context) { close(leading) },
				OnStoppedLeading: func() { close(lost) },
			},
		})
		if err != nil {
			return err
		}
		g.Go(func() error {
			elector.Run(ctx)
			select {
			case <-lost:
				if ctx.Err() == nil {
					return errors.New("leader election lost")
				}
			default:
			}
			return nil
		})
	} else {
		close(leading)
	}
	select {
	case <-ctx.Done():
		return g.Wait()
	case <-leading:
	}

	for name, construct := range controller.Known() {
		if !enabled.Has(name) {
			continue
		}
		ctl, err := construct(factory)
		if err != nil {
			cancel()
			return errors.Join(fmt.Errorf("controller %s: %w", name, err), g.Wait())
		}
		g.Go(func() error {
			log.V(logf.InfoLevel).Info("starting controller", "controller", name)
			return ctl.Run(c.NumberOfConcurrentWorkers, ctx)
		})
	}
	cctx.SharedInformerFactory.Start(ctx.Done())
	cctx.KubeSharedInformerFactory.Start(ctx.Done())
	cctx.HTTP01ResourceMetadataInformersFactory.Start(ctx.Done())
	if utilfeature.DefaultFeatureGate.Enabled(feature.ExperimentalGatewayAPISupport) && c.EnableGatewayAPI {
		cctx.GWShared.Start(ctx.Done())
	}
	if err := g.Wait(); err != nil {
		return err
	}
	log.Info("control loops exited")
	return nil
}

func main() {
	cli.Main(cli.Component[cfgT]{
		Name:     "controller",
		Defaults: defaultConfig,
		Flags:    flags,
		FromFile: func(load func(configfile.ConfigFile) error) (*cfgT, error) {
			f := controllerconfigfile.New()
			if err := load(f); err != nil {
				return nil, err
			}
			return f.Config, nil
		},
		Logging:      func(c *cfgT) *logsapi.LoggingConfiguration { return &c.Logging },
		FeatureGates: func(c *cfgT) map[string]bool { return c.FeatureGates },
		Validate:     func(c *cfgT) error { return validation.ValidateControllerConfiguration(c, nil).ToAggregate() },
		Run:          run,
	})
}
