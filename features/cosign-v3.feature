@cosign @cosign-v3
Feature: Cosign v3 native signing with a private-PKI key, new bundle format, no transparency log

  `cosign sign --key` with the leaf key (imported into cosign's key format), its
  certificate, and a signing config that names no transparency log or timestamp
  authority. The signature is a Sigstore bundle (v0.3), stored as an OCI 1.1
  referrer, or under the referrers tag fallback where the registry has no
  referrers API. Verification trusts a private trusted root made from the chain.

  Background:
    Given the registry "ci"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"

  Scenario: a native cosign v3 signature verifies against the private CA
    When "ci/app:signed" is signed with cosign v3 by "corp-ecdsa-p256"
    Then signing succeeds
    And the cosign signature of "ci/app:signed" is stored as "a bundle under the referrers tag fallback"
    When "ci/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification succeeds

  Scenario: the unsigned image does not verify
    Given "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    When "ci/app:unsigned" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification fails because "no signatures found"

  Scenario: a leaf from another root does not verify
    Given "ci/app:signed" was signed with cosign v3 by "rogue-ecdsa-p256"
    When "ci/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification fails because "leaf certificate verification failed"

  Scenario: a leaf with another URI identity does not verify
    Given "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256-other-identity"
    When "ci/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256" for the URI identity
    Then the verification fails because "expected SAN value \"https://ci.corp.example/signers/release\", got \"https://ci.corp.example/signers/intruder\""

  @finding
  Scenario: a bundle's identity check sees only the URI, so the signer's own email identity is refused
    # Finding: the legacy .sig path matches any SAN; the bundle path takes one
    # SAN value from the leaf (the URI when there is one) and compares only that.
    Given "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    When "ci/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256" for the email identity
    Then the verification fails because "expected SAN value \"ci-signer@corp.example\", got \"https://ci.corp.example/signers/release\""

  Scenario: cosign v3 refuses to sign with an expired leaf, so nothing reaches the registry
    # cosign v2's attach flow stores such a signature and only verification refuses it.
    When "ci/app:signed" is signed with cosign v3 by "corp-ecdsa-p256-expired"
    Then signing fails because "failed to verify leaf certificate: leaf certificate verification failed"
    When "ci/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification fails because "no signatures found"

  Scenario: a bundle made for another image does not verify when copied onto this one
    Given the test image "busybox" is pushed as "ci/other:signed"
    And "ci/other:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    When the cosign v3 bundle of "ci/other:signed" is copied onto "ci/app:unsigned"
    And "ci/app:unsigned" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification fails because "no matching attestations"

  Scenario: a bundle with a tampered signature does not verify
    Given the test image "busybox" is pushed as "ci/twin:unsigned"
    And "ci/twin:unsigned" was signed with cosign v3 by "corp-ecdsa-p256"
    When the cosign v3 bundle of "ci/twin:unsigned" is copied onto "ci/app:unsigned" with its signature tampered
    And "ci/app:unsigned" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification fails because "no matching attestations"

  Scenario: the untampered copy of that bundle verifies, so the failure above is the tampering
    Given the test image "busybox" is pushed as "ci/twin:unsigned"
    And "ci/twin:unsigned" was signed with cosign v3 by "corp-ecdsa-p256"
    When the cosign v3 bundle of "ci/twin:unsigned" is copied onto "ci/app:unsigned"
    And "ci/app:unsigned" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification succeeds

  @finding
  Scenario: signing with --certificate-chain stores a bundle that cosign v3 itself cannot find
    # Finding (v3.1.3): the chain goes into a v0.3 bundle as x509CertificateChain,
    # which the bundle loader skips without a word; verification then sees nothing.
    When "ci/app:signed" is signed with cosign v3 by "corp-ecdsa-p256" with its certificate chain
    Then signing succeeds
    When "ci/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification fails because "no signatures found"

  Scenario Outline: cosign v2 and v3 signatures on a <kind> registry, verified by cosign v3
    Given the registry "store" of kind "<kind>"
    And the test image "busybox" is pushed as "store/app:legacy"
    And the test image "busybox" is pushed as "store/app:bundle"
    And "store/app:legacy" was signed with cosign v2 by "corp-ecdsa-p256"
    And "store/app:bundle" was signed with cosign v3 by "corp-ecdsa-p256"
    Then the cosign signature of "store/app:legacy" is stored as "a .sig tag"
    And the cosign signature of "store/app:bundle" is stored as "<bundle storage>"
    When "store/app:legacy" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification succeeds
    When "store/app:bundle" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification succeeds

    Examples:
      | kind         | bundle storage                            |
      | distribution | a bundle under the referrers tag fallback |
      | ggcr         | a bundle through the referrers API        |

  @finding
  Scenario: cosign v2.6 finds a v3 bundle, refuses PEM CA files for it, and verifies it with a trusted root
    Given "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    When "ci/app:signed" is verified with cosign v2 trusting "corp-ecdsa-p256"
    Then the verification fails because "CA roots/intermediates must be provided using --trusted-root when using --new-bundle-format"
    When "ci/app:signed" is verified with cosign v2 using a trusted root made from "corp-ecdsa-p256"
    Then the verification succeeds

  Scenario Outline: a saved layout verifies offline with --local-image (<version> signature)
    Given "ci/app:signed" was signed with cosign <version> by "corp-ecdsa-p256"
    When "ci/app:signed" is saved with cosign v3 into the directory "saved"
    And the saved directory "saved" is verified with cosign v3 --local-image trusting "corp-ecdsa-p256"
    Then the verification succeeds

    Examples:
      | version |
      | v2      |
      | v3      |
