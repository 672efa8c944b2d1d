@cosign @cosign-v2
Feature: Cosign v2 external signing: openssl signs, cosign attaches, cosign verifies against a private CA

  The proof of concept's Cosign v2 flow: `cosign generate` prints the payload for
  the image digest, openssl signs it with the private-PKI leaf key, and
  `cosign attach signature` stores signature, leaf certificate and chain under
  the legacy sha256-<digest>.sig tag. Verification trusts the private root and
  intermediate, checks the leaf's identity, and skips SCT and transparency-log
  checks (there is no Fulcio or Rekor in a private PKI).

  Background:
    Given the registry "ci"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"

  Scenario: an externally made signature, attached with cosign v2, verifies
    When "ci/app:signed" is signed with cosign v2 by "corp-ecdsa-p256"
    Then signing succeeds
    And the cosign signature of "ci/app:signed" is stored as "a .sig tag"
    When "ci/app:signed" is verified with cosign v2 trusting "corp-ecdsa-p256"
    Then the verification succeeds
    And the output also says "The code-signing certificate was verified using trusted certificate authority certificates"

  Scenario: cosign v3 verifies what the cosign v2 flow signed
    Given "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    When "ci/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification succeeds

  Scenario: the unsigned image does not verify
    Given "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    When "ci/app:unsigned" is verified with cosign v2 trusting "corp-ecdsa-p256"
    Then the verification fails because "no signatures found"

  Scenario: a leaf from another root does not verify
    Given "ci/app:signed" was signed with cosign v2 by "rogue-ecdsa-p256"
    When "ci/app:signed" is verified with cosign v2 trusting "corp-ecdsa-p256"
    Then the verification fails because "x509: certificate signed by unknown authority"

  Scenario Outline: a leaf with another <identity> identity does not verify
    Given "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256-other-identity"
    When "ci/app:signed" is verified with cosign v2 trusting "corp-ecdsa-p256" for the <identity> identity
    Then the verification fails because "<reason>"

    Examples:
      | identity | reason                                                              |
      | email    | none of the expected identities matched what was in the certificate |
      | URI      | none of the expected identities matched what was in the certificate |

  Scenario Outline: the signer's own <identity> identity verifies
    Given "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    When "ci/app:signed" is verified with cosign v2 trusting "corp-ecdsa-p256" for the <identity> identity
    Then the verification succeeds

    Examples:
      | identity |
      | email    |
      | URI      |

  Scenario: an expired leaf does not verify without a signed timestamp
    When "ci/app:signed" is signed with cosign v2 by "corp-ecdsa-p256-expired"
    Then signing succeeds
    When "ci/app:signed" is verified with cosign v2 trusting "corp-ecdsa-p256"
    Then the verification fails because "expected a signed timestamp to verify an expired certificate"

  Scenario: a signature over another image's payload does not verify
    When "ci/app:signed" is signed with cosign v2 by "corp-ecdsa-p256" over the payload of "ci/app:unsigned"
    Then signing succeeds
    When "ci/app:signed" is verified with cosign v2 trusting "corp-ecdsa-p256"
    Then the verification fails because "invalid or missing digest in claim"

  Scenario: a tampered signature does not verify
    When "ci/app:signed" is signed with cosign v2 by "corp-ecdsa-p256" with a tampered signature
    Then signing succeeds
    When "ci/app:signed" is verified with cosign v2 trusting "corp-ecdsa-p256"
    Then the verification fails because "invalid signature when validating ASN.1 encoded signature"
