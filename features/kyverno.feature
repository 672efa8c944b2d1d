@kyverno
Feature: Kyverno admits only workloads whose images are signed, after relocation to production

  The proof of concept's admission flow, on the embedded environment: real
  etcd, kube-apiserver and the Kyverno admission controller as local
  processes (SIGPROOF_ENV=embedded, the default). Each scenario gets its own
  namespace and registries, and a ClusterPolicy limited to them. Only
  workloads named *success* are admitted; *fail* ones are rejected, and the
  rejection is asserted to be about the signature.

  @notation
  Scenario: Notation: the signed image is admitted, the unsigned one is rejected (Pods)
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    And "ci/app:signed" is relocated to "prod/app:signed" with oras --recursive through an OCI layout archive
    And "ci/app:unsigned" is relocated to "prod/app:unsigned" with oras --recursive through an OCI layout archive
    And Kyverno enforces the policy "notary" for the registry "prod" trusting "corp-rsa-pss"
    Then the pod "pod-success-notation" running "prod/app:signed" is admitted
    And the pod "pod-fail-notation" running "prod/app:unsigned" is rejected because "failed to verify image"
