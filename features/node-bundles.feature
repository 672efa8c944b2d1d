@node @kyverno @crio @containerd @cosign @cosign-v3 @finding
Feature: cosign v3 bundles end to end: each admission form with each runtime, on a node

  cosign v3 signs in the bundle format by default (an OCI referrer, not the
  legacy .sig tag). The image is validly signed by the corp PKI in "ci" and
  copied with oras --recursive (which carries referrers) to "prod". Each layer
  is recorded: Kyverno's two forms (the ImageValidatingPolicy is given a
  trusted root made from the scenario's PKI), then each runtime alone, where
  Kyverno's policy does not reach. Wherever a layer refuses the valid
  signature, that is a finding.

  Background:
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed as "ci/app:signed"
    And "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"

  Scenario Outline: a validly signed cosign v3 bundle under the <form> form, then <runtime>: refused at admission, so it never reaches the node
    Given Kyverno enforces the policy "<policy>" for the registry "prod" trusting "corp-ecdsa-p256"
    And a node running <runtime> with the policy "<node policy>" trusting "corp-ecdsa-p256"
    Then the pod "pod-fail-bundle" running "prod/app:signed" is rejected because "<reason>"
    And the deployment "deployment-fail-bundle" running "prod/app:signed" is rejected because "<reason>"

    Examples:
      | form                  | policy     | runtime    | node policy | reason                                         |
      | ClusterPolicy         | cosign     | CRI-O      | node        | no signatures found                            |
      | ClusterPolicy         | cosign     | containerd | node-cosign | no signatures found                            |
      | ImageValidatingPolicy | ivp-cosign | CRI-O      | node        | failed to verify the image's cosign signature |
      | ImageValidatingPolicy | ivp-cosign | containerd | node-cosign | failed to verify the image's cosign signature |

  Scenario: a validly signed cosign v3 bundle where Kyverno does not reach: CRI-O refuses the pull (it reads only the .sig tag)
    Given Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256" in another namespace
    And a node running CRI-O with the policy "node" trusting "corp-ecdsa-p256"
    Then the pod "pod-bundle" running "prod/app:signed" is admitted
    And the pod "pod-bundle" cannot pull its image because "A signature was required, but no signature exists"

  Scenario: a validly signed cosign v3 bundle where Kyverno does not reach: containerd's verifier (cosign v3) accepts it and the pod runs
    Given Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256" in another namespace
    And a node running containerd with the policy "node-cosign" trusting "corp-ecdsa-p256"
    Then the pod "pod-bundle" running "prod/app:signed" is admitted
    And the pod "pod-bundle" runs
