@byo
Feature: Bring your own certificates, signer, tool binaries and policies

  Teams prove their own setup: their corporate PKI, their signing service, a
  patched cosign, their own policies. Each switch is used like the built-in
  one, and bad input is refused with the file and the reason before any tool
  runs. (docs/bring-your-own.md: "Testing your own setup".)

  @notation
  Scenario: a PKI written by your own script signs and verifies with notation, through a signer profile
    Given the registry "ci"
    And the test image "busybox" is pushed as "ci/app:signed"
    And notation trusts the private PKI "example-corp-script" with the trust policy "strict"
    When "ci/app:signed" is signed with notation by "example-corp-script" through the signer "openssl-ecdsa-sha256"
    Then signing succeeds
    When "ci/app:signed" is verified with notation
    Then the verification succeeds

  @cosign @cosign-v2
  Scenario: a PKI written by your own script signs with cosign v2 through your signer command
    Given the registry "ci"
    And the test image "busybox" is pushed as "ci/app:signed"
    And "ci/app:signed" was signed with cosign v2 by "example-corp-script" through the signer "openssl-ecdsa-sha256"
    When "ci/app:signed" is verified with cosign v2 trusting "example-corp-script"
    Then the verification succeeds

  @cosign @cosign-v2 @cosign-v3 @kyverno @crio @containerd
  Scenario: a PKI script in the proof of concept's layout, a P-384 leaf under an RSA-4096 intermediate and a P-384 root: cosign v2 and v3, Kyverno, CRI-O and containerd verify its signature
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And "ci/app:signed" was signed with cosign v2 by "poc-p384-under-rsa"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"
    When "prod/app:signed" is verified with cosign v2 trusting "poc-p384-under-rsa"
    Then the verification succeeds
    When "prod/app:signed" is verified with cosign v3 trusting "poc-p384-under-rsa"
    Then the verification succeeds
    Given Kyverno enforces the policy "cosign" for the registry "prod" trusting "poc-p384-under-rsa"
    Then the pod "pod-success-p384-under-rsa" running "prod/app:signed" is admitted
    And the pod "pod-fail-p384-under-rsa" running "prod/app:unsigned" is rejected because "no signatures found"
    Given CRI-O enforces the policy "node-default-allow" trusting "poc-p384-under-rsa"
    When "prod/app:signed" is pulled with crictl from CRI-O
    Then the pull succeeds
    When "prod/app:unsigned" is pulled with crictl from CRI-O
    Then the pull fails because "A signature was required, but no signature exists"
    Given containerd verifies pulls with the policy "node-cosign-default-allow" trusting "poc-p384-under-rsa"
    When "prod/app:signed" is pulled with crictl from containerd
    Then the pull succeeds
    When "prod/app:unsigned" is pulled with crictl from containerd
    Then the pull fails because "cosign found no valid signature"
    And the report warns that "the extendedKeyUsage holds clientAuth; no verifier of this scenario needs it"
    And the report warns that "the leaf subject lacks C, ST, O; no verifier of this scenario needs it"

  @notation
  Scenario: the proof of concept's cosign leaf (codeSigning with clientAuth) is refused where notation takes part, before notation runs
    Given the registry "ci"
    And the test image "busybox" is pushed as "ci/app:signed"
    When notation is given the private PKI "poc-p384-under-rsa" with the trust policy "strict"
    Then the setup fails because "leaf.crt: the extendedKeyUsage holds clientAuth; notation refuses such a leaf (\"extended key usage must not contain ClientAuth eku\")"

  @notation
  Scenario: a CN-only leaf is refused where a notation trust policy names its x509.subject, before notation runs
    Given the registry "ci"
    And the test image "busybox" is pushed as "ci/app:signed"
    When notation is given the private PKI "poc-root-and-leaf" with the trust policy "strict-identity"
    Then the setup fails because "leaf.crt: the leaf subject lacks C, ST, O; notation with an x509.subject identity refuses such a leaf"

  @notation @oras @kyverno
  Scenario: a PKI script in the proof of concept's layout with a root and a leaf only, no intermediate: notation and Kyverno verify its signature
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And notation trusts the private PKI "poc-root-and-leaf" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "poc-root-and-leaf" through the signer "openssl-ecdsa-sha256"
    And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    And "ci/app:unsigned" is copied with oras --recursive to "prod/app:unsigned"
    When "prod/app:signed" is verified with notation
    Then the verification succeeds
    Given Kyverno enforces the policy "notary" for the registry "prod" trusting "poc-root-and-leaf"
    Then the pod "pod-success-root-and-leaf" running "prod/app:signed" is admitted
    And the pod "pod-fail-root-and-leaf" running "prod/app:unsigned" is rejected because "no signature is associated with"
    And the report warns that "the leaf subject lacks C, ST, O; no verifier of this scenario needs it (notation, Kyverno Notary)"

  Scenario: a PKI whose key does not match its leaf is refused before any tool runs
    When the PKI profile "example-corp-wrong-key" is prepared
    Then the setup fails because "leaf.key: the key does not match the leaf certificate"

  @cosign @cosign-v2
  Scenario: a signer command that fails stops cosign v2 signing with its own message
    Given the registry "ci"
    And the test image "busybox" is pushed as "ci/app:signed"
    When "ci/app:signed" is signed with cosign v2 by "corp-ecdsa-p256" through the signer "signing-service-down"
    Then signing fails because "signer \"signing-service-down\" exited 1: signing-service.corp.example: connection refused"

  @cosign @cosign-v2
  Scenario: a signer command that prints nothing stops cosign v2 signing
    Given the registry "ci"
    And the test image "busybox" is pushed as "ci/app:signed"
    When "ci/app:signed" is signed with cosign v2 by "corp-ecdsa-p256" through the signer "silent-signer"
    Then signing fails because "signer \"silent-signer\" printed no signature"

  @notation
  Scenario: a signer command that fails stops notation signing with its own message
    Given the registry "ci"
    And the test image "busybox" is pushed as "ci/app:signed"
    And notation trusts the private PKI "corp-ecdsa-p256" with the trust policy "strict"
    When "ci/app:signed" is signed with notation by "corp-ecdsa-p256" through the signer "signing-service-down"
    Then signing fails because "signing-service.corp.example: connection refused"

  @cosign @cosign-v3
  Scenario: a patched cosign replaces the pinned one, and the report says so
    Given cosign v3 is replaced by the binary "scenarios/tool-overrides/cosign-patched.sh"
    And the registry "ci"
    And the test image "busybox" is pushed as "ci/app:signed"
    And "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    When "ci/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification succeeds
    And cosign v3 runs as "scenarios/tool-overrides/cosign-patched.sh", whose version says "sigproof example patch"

  Scenario: a replacement binary that does not exist is refused
    When cosign v3 is replaced by the binary "scenarios/tool-overrides/no-such-cosign" for this scenario
    Then the setup fails because "scenarios/tool-overrides/no-such-cosign: no such file"

  @kyverno @cosign @cosign-v2
  Scenario: your own Kyverno policy file admits the signed image and rejects the unsigned one
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"
    And Kyverno enforces the policy "examples/policies/kyverno-cosign-team.yaml" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the pod "pod-success-byo-policy" running "prod/app:signed" is admitted
    And the pod "pod-fail-byo-policy" running "prod/app:unsigned" is rejected because "no signatures found"

  @kyverno @cosign @cosign-v2
  Scenario: your own namespaced Kyverno Policy is created in the scenario's namespace and enforced there
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"
    And Kyverno enforces the policy "examples/policies/kyverno-cosign-namespaced.yaml" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the pod "pod-success-namespaced-policy" running "prod/app:signed" is admitted
    And the pod "pod-fail-namespaced-policy" running "prod/app:unsigned" is rejected because "namespace-release-signature: 'failed to verify image"

  Scenario: a namespaced Kyverno Policy cannot cover another namespace, and says so before anything is created
    Given the registry "prod"
    When Kyverno is given the policy "examples/policies/kyverno-cosign-namespaced.yaml" for the registry "prod" trusting "corp-ecdsa-p256" in another namespace
    Then the setup fails because "is namespaced and covers only the namespace it is created in"

  Scenario: a malformed policy file of yours is refused with the file, the line and the reason
    Given the registry "prod"
    When Kyverno is given the policy "examples/policies/kyverno-broken.yaml" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the setup fails because "examples/policies/kyverno-broken.yaml: line 9"
    And the output also says "not valid YAML"

  @kyverno @cosign @cosign-v2 @finding
  Scenario: a user policy with mutateDigest off denies a signed image given by tag
    # Finding (Kyverno v1.19.1): verifyDigest stays on, so an image given by tag
    # is denied although its signature is valid, as a missing digest.
    Given the registry "prod"
    And the test image "busybox" is pushed as "prod/app:signed"
    And "prod/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And Kyverno enforces the policy "examples/policies/kyverno-cosign-no-mutate-digest.yaml" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the pod "pod-fail-by-tag" running "prod/app:signed" is rejected because "team-release-signature: missing digest for"
