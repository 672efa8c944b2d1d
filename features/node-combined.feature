@node @kyverno
Feature: Kyverno and the runtime both verify: pods admitted, scheduled, pulled under the node's policy, and running

  The proof of concept's second flow, on a real node: each scenario starts its
  own kubelet (registered with the embedded API server, tainted so that only
  the scenario's workloads land on it) with CRI-O or containerd under the
  scenario's policy, in a private mount namespace. The sandbox (pause) image
  comes from the scenario's "sandbox" registry, which the node policies allow.
  Only *success* workloads are admitted, and their pods run from the signed
  digest; *fail* workloads are denied at admission and never exist. Each flow
  runs under Kyverno's ClusterPolicy form and its ImageValidatingPolicy form.

  @notation @containerd
  Scenario Outline: Notation relocated with oras, <form>: Kyverno, then containerd with the notation verifier
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    And "ci/app:unsigned" is copied with oras --recursive to "prod/app:unsigned"
    And Kyverno enforces the policy "<policy>" for the registry "prod" trusting "corp-rsa-pss"
    And a node running containerd that verifies pulls with the policy "node-notation" trusting "corp-rsa-pss"
    Then the pod "pod-success-notation" running "prod/app:signed" is admitted
    And the pod "pod-success-notation" runs
    And the pod "pod-fail-notation" running "prod/app:unsigned" is rejected because "<reason>"
    And the deployment "deployment-success-notation" running "prod/app:signed" is admitted
    And the deployment "deployment-success-notation" has 1 running pod
    And the deployment "deployment-fail-notation" running "prod/app:unsigned" is rejected because "<reason>"

    Examples:
      | form                   | policy     | reason                                           |
      | ClusterPolicy          | notary     | no signature is associated with                  |
      | ImageValidatingPolicy  | ivp-notary | failed to verify the image's Notation signature |

  @cosign @cosign-v2 @crio @containerd
  Scenario Outline: cosign v2 relocated with cosign copy, <form>: Kyverno, then <runtime>
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"
    And Kyverno enforces the policy "<policy>" for the registry "prod" trusting "corp-ecdsa-p256"
    And a node running <runtime> with the policy "<node policy>" trusting "corp-ecdsa-p256"
    Then the pod "pod-success-cosign-v2" running "prod/app:signed" is admitted
    And the pod "pod-success-cosign-v2" runs
    And the pod "pod-fail-cosign-v2" running "prod/app:unsigned" is rejected because "<reason>"
    And the deployment "deployment-success-cosign-v2" running "prod/app:signed" is admitted
    And the deployment "deployment-success-cosign-v2" has 1 running pod
    And the deployment "deployment-fail-cosign-v2" running "prod/app:unsigned" is rejected because "<reason>"

    Examples:
      | form                  | policy     | runtime    | node policy | reason                                         |
      | ClusterPolicy         | cosign     | CRI-O      | node        | no signatures found                            |
      | ClusterPolicy         | cosign     | containerd | node-cosign | no signatures found                            |
      | ImageValidatingPolicy | ivp-cosign | CRI-O      | node        | failed to verify the image's cosign signature |
      | ImageValidatingPolicy | ivp-cosign | containerd | node-cosign | failed to verify the image's cosign signature |

  @cosign @cosign-v3 @crio @containerd
  Scenario Outline: cosign v3 in the legacy format, relocated with cosign copy, <form>: Kyverno, then <runtime>
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256" in the legacy format
    And "ci/app:signed" is copied with cosign v3 to "prod/app:signed"
    And "ci/app:unsigned" is copied with cosign v3 to "prod/app:unsigned"
    And Kyverno enforces the policy "<policy>" for the registry "prod" trusting "corp-ecdsa-p256"
    And a node running <runtime> with the policy "<node policy>" trusting "corp-ecdsa-p256"
    Then the pod "pod-success-cosign-v3" running "prod/app:signed" is admitted
    And the pod "pod-success-cosign-v3" runs
    And the pod "pod-fail-cosign-v3" running "prod/app:unsigned" is rejected because "<reason>"
    And the deployment "deployment-success-cosign-v3" running "prod/app:signed" is admitted
    And the deployment "deployment-success-cosign-v3" has 1 running pod
    And the deployment "deployment-fail-cosign-v3" running "prod/app:unsigned" is rejected because "<reason>"

    Examples:
      | form                  | policy     | runtime    | node policy | reason                                         |
      | ClusterPolicy         | cosign     | CRI-O      | node        | no signatures found                            |
      | ClusterPolicy         | cosign     | containerd | node-cosign | no signatures found                            |
      | ImageValidatingPolicy | ivp-cosign | CRI-O      | node        | failed to verify the image's cosign signature |
      | ImageValidatingPolicy | ivp-cosign | containerd | node-cosign | failed to verify the image's cosign signature |
