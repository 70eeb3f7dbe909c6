"""Computing vocabulary the offline engine gets wrong, as forced glossary terms (the ``domain-terms`` draft rule).

Apertium's general dictionaries read technical Spanish literally ("archivo" → "archive", "por defecto"
→ "by defect", "plano de control" → "plan of control"). These phrases are the usual English terms of
software writing; they are added to the glossary of a pair (the project's own terms win) when the
configured engine is Apertium and ``domain-terms`` is in ``translation.draft_rules``.
"""

from __future__ import annotations

DOMAIN_TERMS: dict[str, dict[str, str]] = {
    "es-en": {
        "archivo": "file",
        "archivos": "files",
        "por defecto": "by default",
        "plano de control": "control plane",
        "clúster": "cluster",
        "clústeres": "clusters",
        "clústers": "clusters",
        "navegador": "browser",
        "navegadores": "browsers",
        "balanceador de carga": "load balancer",
        "balanceadores de carga": "load balancers",
        "espacio de nombres": "namespace",
        "espacios de nombres": "namespaces",
        "proveedor de la nube": "cloud provider",
        "proveedores de la nube": "cloud providers",
        "proveedor de nube": "cloud provider",
        "entorno de ejecución": "runtime environment",
        "tiempo de ejecución": "runtime",
        "alta disponibilidad": "high availability",
        "depuración": "debugging",
        "lector de pantalla": "screen reader",
        "lectores de pantalla": "screen readers",
        "base de datos": "database",
        "interfaz de usuario": "user interface",
        "línea de comandos": "command line",
        "código fuente": "source code",
        "sistema operativo": "operating system",
        "mensaje de error": "error message",
        "valor de retorno": "return value",
        "cadena de texto": "string",
        "cadenas de texto": "strings",
        "función flecha": "arrow function",
        "contenedor flexible": "flex container",
        "elementos flexibles": "flex items",
        "eje principal": "main axis",
        "aprendizaje automático": "machine learning",
        "inteligencia artificial": "artificial intelligence",
        "modelo de lenguaje": "language model",
        "modelos de lenguaje": "language models",
        "ventana de contexto": "context window",
        "salida del modelo": "model output",
        "salidas del modelo": "model outputs",
        "código arbitrario": "arbitrary code",
        "desarrolladores": "developers",
        "desarrollador": "developer",
        "repositorio": "repository",
        "repositorios": "repositories",
        "estrellas en GitHub": "GitHub stars",
        "en local": "locally",
        "de código abierto": "open-source",
    },
}


def domain_terms(source: str, target: str) -> dict[str, str]:
    """The built-in technical terms for a language pair (empty for pairs without a table)."""
    return dict(DOMAIN_TERMS.get(f"{source}-{target}", {}))
