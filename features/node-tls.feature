@node @kyverno @tls @cosign @cosign-v2
Feature: A node pulls from registries with TLS and credentials: Kyverno admits, CRI-O and containerd pull, pods run

  The main cosign flow with production-shaped registries (registries-tls.feature):
  "ci" and "prod" serve TLS from the run's registry CA and ask for credentials
  of their own. Each component gets the CA and the credentials the way its users
  configure it:
  - Kyverno: SSL_CERT_FILE (it has no CA option of its own) and a
    kubernetes.io/dockerconfigjson secret in its namespace, named in the
    policy's imageRegistryCredentials (or an ImageValidatingPolicy's credentials);
  - the kubelet: the pull secret every pod of the scenario names in
    imagePullSecrets, which it hands to the runtime with each pull;
  - CRI-O: its certificates directory ($HOME/.config/containers/certs.d/<host:port>/ca.crt,
    read before /etc/containers/certs.d) and its global auth file;
  - containerd: hosts.toml with https and its "ca", and sigproof's verifier
    with the CA and a docker config in its policy.

  Background:
    Given the registries "ci" and "prod" with TLS and credentials of their own
    And oras is logged in to "ci"
    And oras is logged in to "prod"
    And cosign v2 is logged in to "ci"
    And cosign v2 is logged in to "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"

  @crio @containerd
  Scenario Outline: cosign v2 from a TLS production registry with credentials, <form>: Kyverno, then <runtime>
    Given Kyverno enforces the policy "<policy>" for the registry "prod" trusting "corp-ecdsa-p256"
    And a node running <runtime> with the policy "<node policy>" trusting "corp-ecdsa-p256"
    Then the pod "pod-success-tls" running "prod/app:signed" is admitted
    And the pod "pod-success-tls" runs
    And the pod "pod-fail-tls" running "prod/app:unsigned" is rejected because "<reason>"
    And the deployment "deployment-success-tls" running "prod/app:signed" is admitted
    And the deployment "deployment-success-tls" has 1 running pod

    Examples:
      | form                  | policy     | runtime    | node policy | reason                                         |
      | ClusterPolicy         | cosign     | CRI-O      | node        | no signatures found                            |
      | ClusterPolicy         | cosign     | containerd | node-cosign | no signatures found                            |
      | ImageValidatingPolicy | ivp-cosign | CRI-O      | node        | failed to verify the image's cosign signature |
      | ImageValidatingPolicy | ivp-cosign | containerd | node-cosign | failed to verify the image's cosign signature |

  @crio @containerd
  Scenario Outline: a wrong password in the pull secret and in Kyverno's secret: <runtime> cannot pull with its own words, and Kyverno denies the pod
    Given the cluster and the node get a wrong password for "prod"
    And a node running <runtime> with the policy "<node policy>" trusting "corp-ecdsa-p256"
    Then the pod "pod-wrong-password" running "prod/app:signed" is admitted
    And the pod "pod-wrong-password" cannot pull its image because "<words>"
    Given Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the pod "pod-fail-wrong-password" running "prod/app:signed" is rejected because "UNAUTHORIZED: authentication required"

    Examples:
      | runtime    | node policy               | words                   |
      | CRI-O      | node-default-allow        | authentication required |
      | containerd | node-cosign-default-allow | 401 Unauthorized        |

  @crio @containerd
  Scenario Outline: a registry certificate from a CA nobody trusts: <runtime> cannot pull, and Kyverno denies the pod
    Given the registry "rogue" with TLS from a CA nobody trusts, and credentials
    And a node running <runtime> with the policy "<node policy>" trusting "corp-ecdsa-p256"
    Then the pod "pod-rogue" running "rogue/app:signed" is admitted
    And the pod "pod-rogue" cannot pull its image because "x509: certificate signed by unknown authority"
    Given Kyverno enforces the policy "cosign" for the registry "rogue" trusting "corp-ecdsa-p256"
    Then the pod "pod-fail-rogue" running "rogue/app:signed" is rejected because "x509: certificate signed by unknown authority"

    Examples:
      | runtime    | node policy               |
      | CRI-O      | node-default-allow        |
      | containerd | node-cosign-default-allow |

  @finding
  Scenario: Kyverno skips the pod's own pull secret: without imageRegistryCredentials it reads the registry anonymously and denies the signed pod
    Given Kyverno enforces the policy "cosign-pod-pull-secrets" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the pod "pod-fail-pull-secret" running "prod/app:signed" is rejected because "UNAUTHORIZED: authentication required"
