#!/bin/sh
# Throwaway certificates for the TLS tests (test/ofagent/test_ofconn_tls.c,
# test/integration/test_tls.sh), made with the openssl CLI:
#   ca.pem            the CA both sides trust
#   switch.{key,pem}  the switch's key and certificate, signed by the CA
#   ctl.{key,pem}     a controller's / client's, signed by the CA
#   rogue.{key,pem}   a client's signed by another CA (rogue-ca.pem): refused
# EC P-256 keys (fast to make); every certificate is good for both TLS
# client and server use, 2 days.
# usage: tls_certs.sh DIR
set -eu
D=${1:?directory}
mkdir -p "$D"
cd "$D"
command -v openssl >/dev/null || { echo "tls_certs.sh: openssl (the CLI) is missing" >&2; exit 1; }

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# ca NAME: a self-signed CA certificate NAME.pem with key NAME.key
ca() {
	key "$1.key"
	openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 2 -sha256 \
		-subj "/O=Sluice test/CN=$1" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}

# leaf NAME CA SERIAL: NAME.{key,pem} signed by CA
leaf() {
	key "$1.key"
	openssl req -new -key "$1.key" -out "$1.csr" -subj "/O=Sluice test/CN=$1"
	printf '%s\n' basicConstraints=CA:FALSE keyUsage=digitalSignature \
		extendedKeyUsage=serverAuth,clientAuth subjectAltName=IP:127.0.0.1,DNS:localhost > "$1.ext"
	openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -set_serial "$3" \
		-days 2 -sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
	rm -f "$1.csr" "$1.ext"
}

ca ca
ca rogue-ca
leaf switch ca 1
leaf ctl ca 2
leaf rogue rogue-ca 3
chmod 600 ./*.key
