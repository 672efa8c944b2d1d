@revocation
Feature: Keys that must stop working: a leaf revoked after signing, and a CRL nobody can reach

  When a signing key leaks, its leaf is revoked: its CA lists it in its CRL.
  The leaves of "corp-ecdsa-p256-revocable" name their CA's CRL in a CRL
  distribution point, published over HTTP on loopback by the run; those of
  "corp-ecdsa-p256-crl-unreachable" name a loopback URL nothing answers. Each
  scenario signs, then revokes, then asks every verifier.

  Background:
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"

  @notation @oras @kyverno
  Scenario Outline: notation, and Kyverno's Notary attestor in the <form>, read the CRL: a leaf revoked after signing is refused
    Given notation trusts the private PKI "corp-ecdsa-p256-revocable" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-ecdsa-p256-revocable" through the signer "openssl-ecdsa-sha256"
    And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    When the leaves of "corp-ecdsa-p256-revocable" are revoked
    And "prod/app:signed" is verified with notation
    Then the verification fails because "is revoked"
    Given Kyverno enforces the policy "<policy>" for the registry "prod" trusting "corp-ecdsa-p256-revocable"
    Then the pod "pod-revoked" running "prod/app:signed" is rejected because "<reason>"

    Examples:
      | form                  | policy     | reason                                          |
      | ClusterPolicy         | notary     | is revoked                                      |
      | ImageValidatingPolicy | ivp-notary | failed to verify the image's Notation signature |

  @cosign @cosign-v2 @cosign-v3 @kyverno @crio @containerd @runtime @finding
  Scenario: cosign v2 and v3, Kyverno's cosign attestor, CRI-O and containerd's verifier read no CRL: a leaf revoked after signing is still accepted
    Given "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256-revocable"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    When the leaves of "corp-ecdsa-p256-revocable" are revoked
    And "prod/app:signed" is verified with cosign v2 trusting "corp-ecdsa-p256-revocable"
    Then the verification succeeds
    When "prod/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256-revocable"
    Then the verification succeeds
    Given Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256-revocable"
    Then the pod "pod-revoked-cosign" running "prod/app:signed" is admitted
    Given CRI-O enforces the policy "node-default-allow" trusting "corp-ecdsa-p256-revocable"
    When "prod/app:signed" is pulled with crictl from CRI-O
    Then the pull succeeds
    Given containerd verifies pulls with the policy "node-cosign-default-allow" trusting "corp-ecdsa-p256-revocable"
    When "prod/app:signed" is pulled with crictl from containerd
    Then the pull succeeds

  @notation
  Scenario Outline: notation with a CRL nobody can reach, at the <level> level: <outcome>
    Given notation trusts the private PKI "corp-ecdsa-p256-crl-unreachable" with the trust policy "<level>"
    And "ci/app:signed" was signed with notation by "corp-ecdsa-p256-crl-unreachable" through the signer "openssl-ecdsa-sha256"
    When "ci/app:signed" is verified with notation
    Then the verification <verdict>
    And the output also says "<words>"

    Examples:
      | level      | outcome                       | verdict                                       | words                                   |
      | strict     | fails closed                  | fails because "revocation status is unknown"  | revocation status is unknown            |
      | permissive | fails open, with a warning    | succeeds                                      | Warning: revocation was set to          |

  @notation @oras @kyverno @ivp
  Scenario: a leaf with a published CRL that nobody revoked: notation and Kyverno's Notary attestor accept its signature
    Given notation trusts the private PKI "corp-ecdsa-p256-revocable" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-ecdsa-p256-revocable" through the signer "openssl-ecdsa-sha256"
    And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    When "prod/app:signed" is verified with notation
    Then the verification succeeds
    Given Kyverno enforces the policy "ivp-notary" for the registry "prod" trusting "corp-ecdsa-p256-revocable"
    Then the pod "pod-not-revoked" running "prod/app:signed" is admitted

  @notation @oras @kyverno
  Scenario Outline: Kyverno's Notary attestor in the <form> with a CRL nobody can reach: it fails closed
    Given notation trusts the private PKI "corp-ecdsa-p256-crl-unreachable" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-ecdsa-p256-crl-unreachable" through the signer "openssl-ecdsa-sha256"
    And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    And Kyverno enforces the policy "<policy>" for the registry "prod" trusting "corp-ecdsa-p256-crl-unreachable"
    Then the pod "pod-crl-unreachable" running "prod/app:signed" is rejected because "<reason>"

    Examples:
      | form                  | policy     | reason                                          |
      | ClusterPolicy         | notary     | revocation status is unknown                    |
      | ImageValidatingPolicy | ivp-notary | failed to verify the image's Notation signature |

  @containerd @runtime @notation @oras
  Scenario: containerd's verifier with notation reads the CRL: a leaf revoked after signing is refused at pull
    Given notation trusts the private PKI "corp-ecdsa-p256-revocable" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-ecdsa-p256-revocable" through the signer "openssl-ecdsa-sha256"
    And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    And containerd verifies pulls with the policy "notation-default-allow" trusting "corp-ecdsa-p256-revocable"
    When the leaves of "corp-ecdsa-p256-revocable" are revoked
    And "prod/app:signed" is pulled with crictl from containerd
    Then the pull fails because "is revoked"

  @containerd @runtime @notation @oras
  Scenario: containerd's verifier with notation and a CRL nobody can reach: the pull fails closed
    Given notation trusts the private PKI "corp-ecdsa-p256-crl-unreachable" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-ecdsa-p256-crl-unreachable" through the signer "openssl-ecdsa-sha256"
    And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    And containerd verifies pulls with the policy "notation-default-allow" trusting "corp-ecdsa-p256-crl-unreachable"
    When "prod/app:signed" is pulled with crictl from containerd
    Then the pull fails because "revocation status is unknown"

