#include "tls.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace kubeemu {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

void Check(bool ok, const char* what) {
  if (!ok) {
    throw std::runtime_error(std::string("TLS setup failed: ") + what);
  }
}

KeyPtr NewKey() {
  KeyPtr key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  Check(key != nullptr, "EC key generation");
  return key;
}

void AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
  Check(ext != nullptr, "certificate extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

CertPtr NewCert(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key,
                const std::vector<std::string>& hosts = {}) {
  CertPtr cert(X509_new(), X509_free);
  Check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  unsigned char serial_bytes[8];
  RAND_bytes(serial_bytes, sizeof serial_bytes);
  serial_bytes[0] &= 0x7f;
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()));
  BN_free(serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
  if (issuer == nullptr) {
    AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign");
  } else {
    AddExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
    AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE");
    AddExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    AddExtension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth");
    std::string names =
        "IP:127.0.0.1,IP:0:0:0:0:0:0:0:1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default.svc";
    for (const std::string& host : hosts)
      names += ",DNS:" + host;
    AddExtension(cert.get(), &ctx, NID_subject_alt_name, names.c_str());
  }
  Check(X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0,
        "X509_sign");
  return cert;
}

std::string CertPem(X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string KeyPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

BioPtr PemBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
}

CertPtr ReadCert(const std::string& pem) {
  CertPtr cert(PEM_read_bio_X509(PemBio(pem).get(), nullptr, nullptr, nullptr), X509_free);
  Check(cert != nullptr, "reading a kept certificate");
  return cert;
}

KeyPtr ReadKey(const std::string& pem) {
  KeyPtr key(PEM_read_bio_PrivateKey(PemBio(pem).get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  Check(key != nullptr, "reading the kept CA key");
  return key;
}

// Whether a certificate names every one of `hosts`.
bool CoversHosts(const std::string& pem, const std::vector<std::string>& hosts) {
  const CertPtr cert = ReadCert(pem);
  for (const std::string& host : hosts) {
    if (X509_check_host(cert.get(), host.data(), host.size(), X509_CHECK_FLAG_NO_WILDCARDS,
                        nullptr) != 1) {
      return false;
    }
  }
  return true;
}

void WriteFile(const std::filesystem::path& path, const std::string& data) {
  std::ofstream out(path, std::ios::trunc);
  out << data;
  Check(static_cast<bool>(out), "writing certificate files");
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace

TlsMaterial LoadOrCreateTls(const std::string& dir, const std::vector<std::string>& hosts) {
  const std::filesystem::path base = dir;
  const auto ca_path = base / "ca.crt";
  const auto ca_key_path = base / "ca.key";
  const auto cert_path = base / "server.crt";
  const auto key_path = base / "server.key";
  KeyPtr ca_key(nullptr, EVP_PKEY_free);
  CertPtr ca(nullptr, X509_free);
  if (std::filesystem::exists(ca_path) && std::filesystem::exists(ca_key_path)) {
    const std::string ca_pem = ReadFile(ca_path);
    if (std::filesystem::exists(cert_path) && std::filesystem::exists(key_path)) {
      std::string cert_pem = ReadFile(cert_path);
      if (CoversHosts(cert_pem, hosts))
        return {ca_pem, std::move(cert_pem), ReadFile(key_path)};
    }
    ca = ReadCert(ca_pem);
    ca_key = ReadKey(ReadFile(ca_key_path));
  } else {
    ca_key = NewKey();
    ca = NewCert(ca_key.get(), "kube-emulator-ca", nullptr, nullptr);
    WriteFile(ca_key_path, KeyPem(ca_key.get()));
    WriteFile(ca_path, CertPem(ca.get()));
  }
  KeyPtr server_key = NewKey();
  CertPtr server = NewCert(server_key.get(), "kube-apiserver", ca.get(), ca_key.get(), hosts);
  TlsMaterial material{CertPem(ca.get()), CertPem(server.get()), KeyPem(server_key.get())};
  WriteFile(cert_path, material.server_cert);
  WriteFile(key_path, material.server_key);
  return material;
}

}  // namespace kubeemu
