@timestamps
Feature: Signatures that outlive their certificates: RFC 3161 timestamps

  Images signed last year must still deploy after the signing leaf expired.
  The standard answer is a timestamp from a timestamp authority (TSA): it
  proves the signature was made while the leaf was valid. The run's TSA is
  Sigstore's timestamp-server (a file signer, a chain made for the run). The
  leaves of "corp-ecdsa-p256-short-lived" are valid for 8 s from when they are
  made, and each signing gets its own; a scenario signs with them, then waits
  for the notAfter of the last one that signed to pass.

  Background:
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:stamped" and "app:unstamped"
    And the test image "busybox" is pushed as "ci/app:other-stamp"

  @notation
  Scenario: notation: once the leaf has expired, the signature with a trusted timestamp verifies, the one without does not, nor one whose TSA notation does not trust
    Given notation trusts the private PKI "corp-ecdsa-p256-short-lived" with the trust policy "strict-timestamp"
    And notation trusts the run's timestamp authority
    And "ci/app:stamped" was signed with notation by "corp-ecdsa-p256-short-lived" through the signer "openssl-ecdsa-sha256" with a timestamp
    And "ci/app:unstamped" was signed with notation by "corp-ecdsa-p256-short-lived" through the signer "openssl-ecdsa-sha256"
    When the short-lived leaves of "corp-ecdsa-p256-short-lived" have expired
    And "ci/app:stamped" is verified with notation
    Then the verification succeeds
    When "ci/app:unstamped" is verified with notation
    Then the verification fails because "no timestamp countersignature was found in the signature envelope"
    Given notation trusts another timestamp authority
    When "ci/app:stamped" is verified with notation
    Then the verification fails because "failed to verify the timestamp countersignature with error: failed to verify signed token: cms verification failure: x509: certificate signed by unknown authority"
    Given notation trusts no timestamp authority
    And notation uses the trust policy "strict"
    When "ci/app:stamped" is verified with notation
    Then the verification fails because "verification time is after certificate"

  @cosign @cosign-v2
  Scenario: cosign v2: once the leaf has expired, the signature attached with a trusted timestamp verifies; not the one without, one with the timestamp of another signature, or one whose TSA cosign does not trust
    Given "ci/app:stamped" was signed with cosign v2 by "corp-ecdsa-p256-short-lived" with a timestamp
    And "ci/app:unstamped" was signed with cosign v2 by "corp-ecdsa-p256-short-lived"
    And "ci/app:other-stamp" was signed with cosign v2 by "corp-ecdsa-p256-short-lived" with the timestamp of another signature
    And the verifiers trust the run's timestamp authority
    When the short-lived leaves of "corp-ecdsa-p256-short-lived" have expired
    And "ci/app:stamped" is verified with cosign v2 trusting "corp-ecdsa-p256-short-lived"
    Then the verification succeeds
    When "ci/app:unstamped" is verified with cosign v2 trusting "corp-ecdsa-p256-short-lived"
    Then the verification fails because "expected a signed timestamp to verify an expired certificate"
    When "ci/app:other-stamp" is verified with cosign v2 trusting "corp-ecdsa-p256-short-lived"
    Then the verification fails because "unable to verify RFC3161 timestamp bundle: hashed messages don't match"
    Given the verifiers trust another timestamp authority
    When "ci/app:stamped" is verified with cosign v2 trusting "corp-ecdsa-p256-short-lived"
    Then the verification fails because "unable to verify RFC3161 timestamp bundle: error while verifying with chain: pkcs7: failed to verify certificate chain: x509: certificate signed by unknown authority"

  @cosign @cosign-v3
  Scenario: cosign v3: once the leaf has expired, the bundle with a trusted timestamp verifies, the one without does not, nor one whose TSA cosign does not trust
    Given "ci/app:stamped" was signed with cosign v3 by "corp-ecdsa-p256-short-lived" with a timestamp
    And "ci/app:unstamped" was signed with cosign v3 by "corp-ecdsa-p256-short-lived"
    And the verifiers trust the run's timestamp authority
    When the short-lived leaves of "corp-ecdsa-p256-short-lived" have expired
    And "ci/app:stamped" is verified with cosign v3 trusting "corp-ecdsa-p256-short-lived"
    Then the verification succeeds
    When "ci/app:unstamped" is verified with cosign v3 trusting "corp-ecdsa-p256-short-lived"
    Then the verification fails because "failed to verify timestamps: threshold not met for verified signed timestamps: 0 < 1"
    Given the verifiers trust another timestamp authority
    When "ci/app:stamped" is verified with cosign v3 trusting "corp-ecdsa-p256-short-lived"
    Then the verification fails because "threshold not met for verified signed timestamps: 0 < 1; error: unable to verify signed timestamps"

  @kyverno @crio @runtime @cosign @cosign-v2
  Scenario Outline: cosign v2 with a timestamp, once the leaf has expired: Kyverno's <form> admits the timestamped image and denies the other; CRI-O reads no timestamps and refuses both
    Given "ci/app:stamped" was signed with cosign v2 by "corp-ecdsa-p256-short-lived" with a timestamp
    And "ci/app:unstamped" was signed with cosign v2 by "corp-ecdsa-p256-short-lived"
    And "ci/app:stamped" is copied with cosign v2 to "prod/app:stamped"
    And "ci/app:unstamped" is copied with cosign v2 to "prod/app:unstamped"
    And the verifiers trust the run's timestamp authority
    And Kyverno enforces the policy "<policy>" for the registry "prod" trusting "corp-ecdsa-p256-short-lived"
    And CRI-O enforces the policy "node-default-allow" trusting "corp-ecdsa-p256-short-lived"
    When the short-lived leaves of "corp-ecdsa-p256-short-lived" have expired
    Then the pod "pod-stamped" running "prod/app:stamped" is admitted
    And the pod "pod-unstamped" running "prod/app:unstamped" is rejected because "<reason>"
    When "prod/app:stamped" is pulled with crictl from CRI-O
    Then the pull fails because "x509: certificate has expired or is not yet valid"
    When "prod/app:unstamped" is pulled with crictl from CRI-O
    Then the pull fails because "x509: certificate has expired or is not yet valid"

    Examples:
      | form                                        | policy                | reason                                                       |
      | ClusterPolicy (ctlog.tsaCertChain)          | cosign-timestamps     | expected a signed timestamp to verify an expired certificate |
      | ImageValidatingPolicy (ctlog.tsaCertChain)  | ivp-cosign-timestamps | failed to verify the image's cosign signature                |

  @containerd @runtime @cosign @cosign-v3 @oras
  Scenario: cosign v3 with a timestamp, once the leaf has expired: containerd's verifier (cosign v3, the TSA in its trusted root) pulls the timestamped image and refuses the other
    Given "ci/app:stamped" was signed with cosign v3 by "corp-ecdsa-p256-short-lived" with a timestamp
    And "ci/app:unstamped" was signed with cosign v3 by "corp-ecdsa-p256-short-lived"
    And "ci/app:stamped" is copied with oras --recursive to "prod/app:stamped"
    And "ci/app:unstamped" is copied with oras --recursive to "prod/app:unstamped"
    And the verifiers trust the run's timestamp authority
    And containerd verifies pulls with the policy "node-cosign-default-allow" trusting "corp-ecdsa-p256-short-lived"
    When the short-lived leaves of "corp-ecdsa-p256-short-lived" have expired
    And "prod/app:stamped" is pulled with crictl from containerd
    Then the pull succeeds
    When "prod/app:unstamped" is pulled with crictl from containerd
    Then the pull fails because "threshold not met for verified signed timestamps: 0 < 1"

  @containerd @runtime @notation @oras
  Scenario: notation with a timestamp, once the leaf has expired: containerd's verifier (notation, the TSA in its trust policy) pulls the timestamped image and refuses the other
    Given notation trusts the private PKI "corp-ecdsa-p256-short-lived" with the trust policy "strict-timestamp"
    And notation trusts the run's timestamp authority
    And "ci/app:stamped" was signed with notation by "corp-ecdsa-p256-short-lived" through the signer "openssl-ecdsa-sha256" with a timestamp
    And "ci/app:unstamped" was signed with notation by "corp-ecdsa-p256-short-lived" through the signer "openssl-ecdsa-sha256"
    And "ci/app:stamped" is copied with oras --recursive to "prod/app:stamped"
    And "ci/app:unstamped" is copied with oras --recursive to "prod/app:unstamped"
    And the verifiers trust the run's timestamp authority
    And containerd verifies pulls with the policy "notation-default-allow" trusting "corp-ecdsa-p256-short-lived"
    When the short-lived leaves of "corp-ecdsa-p256-short-lived" have expired
    And "prod/app:stamped" is pulled with crictl from containerd
    Then the pull succeeds
    When "prod/app:unstamped" is pulled with crictl from containerd
    Then the pull fails because "no timestamp countersignature was found in the signature envelope"

  @kyverno @notation @oras @ivp
  Scenario Outline: notation with and without a timestamp, once the leaf has expired, under Kyverno's <form>
    Given notation trusts the private PKI "corp-ecdsa-p256-short-lived" with the trust policy "strict"
    And "ci/app:stamped" was signed with notation by "corp-ecdsa-p256-short-lived" through the signer "openssl-ecdsa-sha256" with a timestamp
    And "ci/app:unstamped" was signed with notation by "corp-ecdsa-p256-short-lived" through the signer "openssl-ecdsa-sha256"
    And "ci/app:stamped" is copied with oras --recursive to "prod/app:stamped"
    And "ci/app:unstamped" is copied with oras --recursive to "prod/app:unstamped"
    And the verifiers trust the run's timestamp authority
    And Kyverno enforces the policy "<policy>" for the registry "prod" trusting "corp-ecdsa-p256-short-lived"
    When the short-lived leaves of "corp-ecdsa-p256-short-lived" have expired
    Then the pod "pod-stamped" running "prod/app:stamped" <stamped>
    And the pod "pod-unstamped" running "prod/app:unstamped" is rejected because "<unstamped>"

    Examples:
      | form                                                    | policy                | stamped                                                                             | unstamped                                      |
      | ImageValidatingPolicy, the TSA's root in tsaCerts        | ivp-notary-timestamps | is admitted                                                                         | failed to verify the image's Notation signature |
      | ClusterPolicy, whose Notary attestor has no TSA field    | notary                | is rejected because "verification time is after certificate"                        | verification time is after certificate          |
