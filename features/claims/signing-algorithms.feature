@claims @cosign @notation
Feature: Which signature algorithms each signer really handles

  The proof of concept concluded that "the Cosign ecosystem can only handle
  SHA-256 hashing with RSA PKCS#1 v1.5" and that "Notation can handle SHA-512
  with PSS". Each row below signs a fresh image with one algorithm and runs the
  signer's own verification; the verdict and the tool's own words are asserted.

  - cosign v2 attach: openssl signs the payload in exactly the row's algorithm,
    `cosign attach signature` stores it, `cosign verify` (v2) judges it.
  - cosign v3 sign: `cosign sign --key` picks the algorithm from the key; where
    the row asks for another one, the only way to ask is `--signing-algorithm`.
  - notation: the external-signer plugin returns openssl's signature in the
    row's algorithm without checking it, so notation itself judges it.

  Rows that end in "refused" are findings about today's tools, not failures.

  Background:
    Given the registry "ci"
    And the test image "busybox" is pushed as "ci/app:claim"

  Scenario Outline: cosign v2 attach with <algorithm>
    When "ci/app:claim" is signed and verified by "cosign v2 attach" with the algorithm "<algorithm>"
    Then the outcome is "<verdict>", because "<reason>"

    Examples:
      | algorithm         | verdict                 | reason                                                            |
      | rsa-pkcs1-sha256  | verified                | The following checks were performed on each of these signatures   |
      | rsa-pkcs1-sha384  | refused at verification | crypto/rsa: verification error                                    |
      | rsa-pkcs1-sha512  | refused at verification | crypto/rsa: verification error                                    |
      | rsa-pss-sha256    | refused at verification | crypto/rsa: verification error                                    |
      | rsa-pss-sha512    | refused at verification | crypto/rsa: verification error                                    |
      | ecdsa-p256-sha256 | verified                | The following checks were performed on each of these signatures   |
      | ecdsa-p384-sha384 | refused at verification | invalid signature when validating ASN.1 encoded signature         |
      | ecdsa-p384-sha256 | verified                | The following checks were performed on each of these signatures   |
      | ecdsa-p521-sha512 | refused at verification | invalid signature when validating ASN.1 encoded signature         |
      | ecdsa-p521-sha256 | verified                | The following checks were performed on each of these signatures   |
      | ed25519           | verified                | The following checks were performed on each of these signatures   |

  Scenario Outline: cosign v3 sign with <algorithm>
    When "ci/app:claim" is signed and verified by "cosign v3 sign" with the algorithm "<algorithm>"
    Then the outcome is "<verdict>", because "<reason>"

    Examples:
      | algorithm         | verdict            | reason                                                          |
      | rsa-pkcs1-sha256  | verified           | The following checks were performed on each of these signatures |
      | rsa-pkcs1-sha384  | refused at signing | unknown flag: --signing-algorithm                               |
      | rsa-pkcs1-sha512  | refused at signing | unknown flag: --signing-algorithm                               |
      | rsa-pss-sha256    | refused at signing | unknown flag: --signing-algorithm                               |
      | rsa-pss-sha512    | refused at signing | unknown flag: --signing-algorithm                               |
      | ecdsa-p256-sha256 | verified           | The following checks were performed on each of these signatures |
      | ecdsa-p384-sha384 | verified           | The following checks were performed on each of these signatures |
      | ecdsa-p384-sha256 | refused at signing | unknown flag: --signing-algorithm                               |
      | ecdsa-p521-sha512 | verified           | The following checks were performed on each of these signatures |
      | ecdsa-p521-sha256 | refused at signing | unknown flag: --signing-algorithm                               |
      | ed25519           | refused at signing | accepted signatures do not match threshold                      |

  Scenario Outline: notation through the external signer with <algorithm>
    When "ci/app:claim" is signed and verified by "notation" with the algorithm "<algorithm>"
    Then the outcome is "<verdict>", because "<reason>"

    Examples:
      | algorithm         | verdict            | reason                                                                          |
      | rsa-pkcs1-sha256  | refused at signing | generated signature failed verification: signature is invalid. Error: crypto/rsa: verification error   |
      | rsa-pkcs1-sha384  | refused at signing | generated signature failed verification: signature is invalid. Error: crypto/rsa: verification error   |
      | rsa-pkcs1-sha512  | refused at signing | generated signature failed verification: signature is invalid. Error: crypto/rsa: verification error   |
      | rsa-pss-sha256    | verified           | Successfully verified signature                                                 |
      | rsa-pss-sha512    | verified           | Successfully verified signature                                                 |
      | ecdsa-p256-sha256 | verified           | Successfully verified signature                                                 |
      | ecdsa-p384-sha384 | verified           | Successfully verified signature                                                 |
      | ecdsa-p384-sha256 | refused at signing | generated signature failed verification: signature is invalid. Error: crypto/ecdsa: verification error |
      | ecdsa-p521-sha512 | verified           | Successfully verified signature                                                 |
      | ecdsa-p521-sha256 | refused at signing | generated signature failed verification: signature is invalid. Error: crypto/ecdsa: verification error |
      | ed25519           | refused at signing | unsupported leaf key for notation: ed25519                                      |
