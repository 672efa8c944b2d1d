@notation
Feature: Notation signs through an external signer and verifies against a private CA

  The proof of concept's Notation plugin hands the payload to any command (openssl,
  an HSM client, a person answering by e-mail) and returns its raw signature with
  the certificate chain. Notation derives the algorithm from the leaf key: an
  RSA-4096 leaf signs RSASSA-PSS with SHA-512, an EC P-384 leaf ECDSA with SHA-384.

  Background:
    Given the registry "ci"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"

  Scenario: an external openssl signer signs with RSASSA-PSS SHA-512 and the signature verifies
    When "ci/app:signed" is signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    Then signing succeeds
    When "ci/app:signed" is verified with notation
    Then the verification succeeds
    And notation inspect of "ci/app:signed" shows the signature algorithm "RSASSA-PSS-SHA-512"

  Scenario: the unsigned image does not verify
    When "ci/app:signed" is signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    Then signing succeeds
    When "ci/app:unsigned" is verified with notation
    Then the verification fails because "no signature is associated with"

  Scenario: a signature by a leaf from another root is not authentic
    When "ci/app:signed" is signed with notation by "rogue-rsa-pss" through the signer "rsassa-pss-sha512"
    Then signing succeeds
    When "ci/app:signed" is verified with notation
    Then the verification fails because "authenticity validation failed"
    And the output also says "the signature's certificate chain does not contain any trusted certificate"

  Scenario Outline: a leaf outside its validity period cannot sign (<profile>)
    When "ci/app:signed" is signed with notation by "<profile>" through the signer "rsassa-pss-sha512"
    Then signing fails because "was invalid at signing time"
    When "ci/app:signed" is verified with notation
    Then the verification fails because "no signature is associated with"

    Examples:
      | profile                    |
      | corp-rsa-pss-expired       |
      | corp-rsa-pss-not-yet-valid |

  Scenario: a signer that returns garbage fails at signing time with the plugin's error
    When "ci/app:signed" is signed with notation by "corp-rsa-pss" through the signer "garbage"
    Then signing fails because "signer garbage.sh returned a signature that does not verify against the leaf certificate"
    When "ci/app:signed" is verified with notation
    Then the verification fails because "no signature is associated with"

  Scenario: a signer that is down reports its own message through notation
    When "ci/app:signed" is signed with notation by "corp-rsa-pss" through the signer "unavailable"
    Then signing fails because "signing service unavailable: connection refused"

  Scenario: ECDSA P-384 through openssl, converted to raw r||s
    Given notation trusts the private PKI "corp-ecdsa-p384" with the trust policy "strict"
    When "ci/app:signed" is signed with notation by "corp-ecdsa-p384" through the signer "ecdsa-sha384"
    Then signing succeeds
    When "ci/app:signed" is verified with notation
    Then the verification succeeds
    And notation inspect of "ci/app:signed" shows the signature algorithm "ECDSA-SHA-384"

  Scenario: a signature prepared elsewhere, by a person holding the key, is returned through a file
    When "ci/app:signed" is signed with notation by "corp-rsa-pss" through the signature-file signer, answered by the key holder
    Then signing succeeds
    When "ci/app:signed" is verified with notation
    Then the verification succeeds
    And notation inspect of "ci/app:signed" shows the signature algorithm "RSASSA-PSS-SHA-512"

  Scenario: a manual signature that never comes back fails the signing, and says why
    When "ci/app:signed" is signed with notation by "corp-rsa-pss" through the signature-file signer, and nobody answers within 1 second
    Then signing fails because "no signature arrived"

  Scenario: a trust policy that names the signer's identity refuses another leaf of the same CA
    Given notation uses the trust policy "strict-identity"
    When "ci/app:signed" is signed with notation by "corp-rsa-pss-other-identity" through the signer "rsassa-pss-sha512"
    Then signing succeeds
    When "ci/app:signed" is verified with notation
    Then the verification fails because "authenticity validation failed"
    And the output also says "does not match the X.509 trusted identities"

  Scenario: a trust policy that names the signer's identity accepts that signer
    Given notation uses the trust policy "strict-identity"
    When "ci/app:signed" is signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    Then signing succeeds
    When "ci/app:signed" is verified with notation
    Then the verification succeeds
