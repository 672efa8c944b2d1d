@tls
Feature: Production-shaped registries: TLS from a private CA, and credentials

  The run's production-shaped registries are Debian's distribution serving
  TLS with a certificate from a CA made for the run, and asking for basic-auth
  credentials of their own (htpasswd, bcrypt). Every tool is told to trust that
  CA the way its users do (oras --ca-file, cosign --registry-cacert, notation
  through SSL_CERT_FILE, which it reads instead of the system roots), and logs
  in with its own login command, the password on stdin. "ci" and "prod" have
  different credentials.

  Background:
    Given the registries "ci" and "prod" with TLS and credentials of their own
    And oras is logged in to "ci"
    And oras is logged in to "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"

  @notation @oras
  Scenario: notation signs in a TLS CI registry, oras relocates to a TLS production registry, notation verifies there
    Given notation reads the credentials of "ci" from its docker config file
    And notation reads the credentials of "prod" from its docker config file
    And notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    When "prod/app:signed" is verified with notation
    Then the verification succeeds

  @cosign @cosign-v2 @cosign-relocation
  Scenario: cosign v2 attaches in a TLS CI registry, cosign copy relocates to a TLS production registry, cosign v2 verifies there
    Given cosign v2 is logged in to "ci"
    And cosign v2 is logged in to "prod"
    And "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    When "prod/app:signed" is verified with cosign v2 trusting "corp-ecdsa-p256"
    Then the verification succeeds

  @cosign @cosign-v3 @oras
  Scenario: cosign v3 signs in a TLS CI registry, oras relocates its bundle to a TLS production registry, cosign v3 verifies there
    Given cosign v3 is logged in to "ci"
    And cosign v3 is logged in to "prod"
    And "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    When "prod/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification succeeds

  @notation @finding
  Scenario: notation login will not keep a password without a credentials store, so notation reads a docker config file instead
    When notation logs in to "ci"
    Then the login fails because "the credential could not be saved because a credentials store is required to securely store the password"

  Scenario Outline: a wrong password: <tool> login refuses it
    When <tool> logs in to "prod" with a wrong password
    Then the login fails because "<words>"

    Examples:
      | tool     | words        |
      | oras     | unauthorized |
      | notation | unauthorized |

  Scenario: a registry certificate from a CA nobody trusts: oras login refuses the registry
    Given the registry "rogue" with TLS from a CA nobody trusts, and credentials
    When oras logs in to "rogue"
    Then the login fails because "x509: certificate signed by unknown authority"

  @kyverno @cosign @cosign-v2
  Scenario: Kyverno reads a TLS production registry with credentials from a secret its policy names: the signed pod is admitted, the unsigned one rejected
    Given cosign v2 is logged in to "ci"
    And cosign v2 is logged in to "prod"
    And "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"
    And Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256"
    Then the pod "pod-success-tls" running "prod/app:signed" is admitted
    And the pod "pod-fail-tls" running "prod/app:unsigned" is rejected because "no signatures found"

  @cosign @cosign-v3 @finding
  Scenario: cosign login keeps a wrong password without asking the registry; the signing that follows is refused with the registry's words
    When cosign v3 logs in to "ci" with a wrong password
    Then the login succeeds
    When "ci/app:signed" is signed with cosign v3 by "corp-ecdsa-p256"
    Then signing fails because "UNAUTHORIZED: authentication required"
