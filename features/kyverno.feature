@kyverno
Feature: Kyverno admits only workloads whose images are signed, after relocation to production

  The proof of concept's admission flow, on the embedded environment: real
  etcd, kube-apiserver and the Kyverno admission controller as local
  processes (SIGPROOF_ENV=embedded, the default). Each scenario gets its own
  namespace and registries, and a ClusterPolicy limited to them. Only
  workloads named *success* are admitted; *fail* ones are rejected, and the
  rejection is asserted to be about the signature. Deployments are covered by
  Kyverno's autogen rule for pod controllers.

  @notation
  Scenario Outline: Notation signatures relocated with oras to a <kind> registry: Pods and Deployments
    Given the registry "ci"
    And the registry "prod" of kind "<kind>"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    And "ci/app:signed" is relocated to "prod/app:signed" with oras --recursive through an OCI layout archive
    And "ci/app:unsigned" is relocated to "prod/app:unsigned" with oras --recursive through an OCI layout archive
    And Kyverno enforces the policy "notary" for the registry "prod" trusting "corp-rsa-pss"
    Then the pod "pod-success-notation" running "prod/app:signed" is admitted
    And the pod "pod-fail-notation" running "prod/app:unsigned" is rejected because "no signature is associated with"
    And the deployment "deployment-success-notation" running "prod/app:signed" is admitted
    And the deployment "deployment-fail-notation" running "prod/app:unsigned" is rejected because "no signature is associated with"

    Examples:
      | kind         |
      | distribution |
      | ggcr         |

  @notation
  Scenario: Notation: an image signed under another root is rejected
    Given the registry "prod"
    And the test image "busybox" is pushed as "prod/app:rogue"
    And notation trusts the private PKI "rogue-rsa-pss" with the trust policy "strict"
    And "prod/app:rogue" was signed with notation by "rogue-rsa-pss" through the signer "rsassa-pss-sha512"
    And Kyverno enforces the policy "notary" for the registry "prod" trusting "corp-rsa-pss"
    Then the pod "pod-fail-notation-rogue" running "prod/app:rogue" is rejected because "the signature's certificate chain does not contain any trusted certificate"

  @notation
  Scenario: an image outside the policy's imageReferences is admitted unsigned
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed as "ci/app:unsigned"
    And Kyverno enforces the policy "notary" for the registry "prod" trusting "corp-rsa-pss"
    Then the pod "pod-success-unmatched" running "ci/app:unsigned" is admitted

  @cosign @cosign-v2
  Scenario Outline: cosign v2 signatures relocated with cosign copy to a <kind> registry: Pods and Deployments
    Given the registry "ci"
    And the registry "prod" of kind "<kind>"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"
    And Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the pod "pod-success-cosign-v2" running "prod/app:signed" is admitted
    And the pod "pod-fail-cosign-v2" running "prod/app:unsigned" is rejected because "no signatures found"
    And the deployment "deployment-success-cosign-v2" running "prod/app:signed" is admitted
    And the deployment "deployment-fail-cosign-v2" running "prod/app:unsigned" is rejected because "no signatures found"

    Examples:
      | kind         |
      | distribution |
      | ggcr         |

  @cosign @cosign-v2
  Scenario: cosign v2: an image signed under another root is rejected
    Given the registry "prod"
    And the test image "busybox" is pushed as "prod/app:rogue"
    And "prod/app:rogue" was signed with cosign v2 by "rogue-ecdsa-p256"
    And Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the pod "pod-fail-cosign-v2-rogue" running "prod/app:rogue" is rejected because "x509: certificate signed by unknown authority"

  @cosign @cosign-v3
  Scenario Outline: cosign v3 in the legacy format (--new-bundle-format=false) on a <kind> registry: Pods and Deployments
    Given the registry "ci"
    And the registry "prod" of kind "<kind>"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256" in the legacy format
    And "ci/app:signed" is copied with cosign v3 to "prod/app:signed"
    And "ci/app:unsigned" is copied with cosign v3 to "prod/app:unsigned"
    And Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the pod "pod-success-cosign-v3" running "prod/app:signed" is admitted
    And the pod "pod-fail-cosign-v3" running "prod/app:unsigned" is rejected because "no signatures found"
    And the deployment "deployment-success-cosign-v3" running "prod/app:signed" is admitted
    And the deployment "deployment-fail-cosign-v3" running "prod/app:unsigned" is rejected because "no signatures found"

    Examples:
      | kind         |
      | distribution |
      | ggcr         |

  @cosign @cosign-v3
  Scenario: cosign v3 (legacy format): an image signed under another root is rejected
    Given the registry "prod"
    And the test image "busybox" is pushed as "prod/app:rogue"
    And "prod/app:rogue" was signed with cosign v3 by "rogue-ecdsa-p256" in the legacy format
    And Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the pod "pod-fail-cosign-v3-rogue" running "prod/app:rogue" is rejected because "x509: certificate signed by unknown authority"

  @cosign @cosign-v3 @finding
  Scenario Outline: cosign v3 bundles on a <kind> registry are invisible to the ClusterPolicy Cosign attestor
    # Finding: the ClusterPolicy form reads only the legacy .sig tag, so a valid
    # v3 bundle is reported as no signature at all.
    Given the registry "ci"
    And the registry "prod" of kind "<kind>"
    And the test image "busybox" is pushed as "ci/app:signed"
    And "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    And Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the pod "pod-fail-cosign-v3-bundle" running "prod/app:signed" is rejected because "no signatures found"

    Examples:
      | kind         |
      | distribution |
      | ggcr         |

  @notation @exclusive
  Scenario: fail closed: with Kyverno down, even the signed image is rejected
    Given the registry "prod"
    And the test image "busybox" is pushed as "prod/app:signed"
    And notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"
    And "prod/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    And Kyverno enforces the policy "notary" for the registry "prod" trusting "corp-rsa-pss"
    Then with Kyverno stopped, the pod "pod-fail-closed" running "prod/app:signed" is rejected because "failed calling webhook"
    And the pod "pod-success-after-restart" running "prod/app:signed" is admitted

  @notation @ivp
  Scenario: Notation through the ImageValidatingPolicy form
    Given the registry "prod"
    And the test image "busybox" is pushed to "prod" as "app:signed" and "app:unsigned"
    And notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"
    And "prod/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    And Kyverno enforces the policy "ivp-notary" for the registry "prod" trusting "corp-rsa-pss"
    Then the pod "pod-success-notation-ivp" running "prod/app:signed" is admitted
    And the pod "pod-fail-notation-ivp" running "prod/app:unsigned" is rejected because "failed to verify the image's Notation signature"
    And the deployment "deployment-success-notation-ivp" running "prod/app:signed" is admitted
    And the deployment "deployment-fail-notation-ivp" running "prod/app:unsigned" is rejected because "failed to verify the image's Notation signature"

  @cosign @cosign-v2 @ivp
  Scenario: cosign v2 signatures through the ImageValidatingPolicy form
    Given the registry "prod"
    And the test image "busybox" is pushed to "prod" as "app:signed" and "app:unsigned"
    And "prod/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And Kyverno enforces the policy "ivp-cosign" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the pod "pod-success-cosign-v2-ivp" running "prod/app:signed" is admitted
    And the pod "pod-fail-cosign-v2-ivp" running "prod/app:unsigned" is rejected because "failed to verify the image's cosign signature"
    And the deployment "deployment-success-cosign-v2-ivp" running "prod/app:signed" is admitted
    And the deployment "deployment-fail-cosign-v2-ivp" running "prod/app:unsigned" is rejected because "failed to verify the image's cosign signature"

  @cosign @cosign-v3 @ivp @finding
  Scenario Outline: cosign v3 bundles on a <kind> registry are refused by the ImageValidatingPolicy form too
    # Finding (Kyverno 1.19.1): the ImageValidatingPolicy finds the bundle, then
    # refuses the certificate identity without a trusted root, and still does
    # with spec.attestors[].cosign.trustedRoot set. Its keyless form wants the
    # public Sigstore TUF root, out of reach for a private PKI.
    Given the registry "prod" of kind "<kind>"
    And the test image "busybox" is pushed as "prod/app:signed"
    And "prod/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    And Kyverno enforces the policy "ivp-cosign" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the pod "pod-fail-cosign-v3-ivp" running "prod/app:signed" is rejected because "failed to verify the image's cosign signature"
    And Kyverno's log says "a trusted root is required for identity-based verification" about "prod/app:signed"

    Examples:
      | kind         |
      | distribution |
      | ggcr         |
